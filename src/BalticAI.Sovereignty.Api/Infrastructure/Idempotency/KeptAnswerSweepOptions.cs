using BalticAI.Sovereignty.Api.Infrastructure.Hardening;
using Microsoft.Extensions.Options;

namespace BalticAI.Sovereignty.Api.Infrastructure.Idempotency;

/// <summary>How often and in what batches <see cref="KeptAnswerSweeper"/> deletes expired kept answers (`Idempotency:Sweep:*`).</summary>
public sealed class KeptAnswerSweepOptions
{
    public const string SectionName = "Idempotency:Sweep";

    /// <summary>Time between two sweeps of this node; an expired answer is never replayed, so this bounds only the table's size.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Answers deleted per statement, each its own short transaction: a large backlog never holds many row
    /// locks or one long transaction (which would hold the ledger's subscriptions, docs/operations.md).
    /// </summary>
    public int BatchSize { get; set; } = 500;
}

internal sealed class KeptAnswerSweepOptionsValidator : IValidateOptions<KeptAnswerSweepOptions>
{
    public ValidateOptionsResult Validate(string? name, KeptAnswerSweepOptions options)
    {
        var failures = new List<string>();
        var section = KeptAnswerSweepOptions.SectionName;
        SettingRange.Check(failures, $"{section}:Interval", options.Interval, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1));
        if (options.BatchSize is < 1 or > 10_000)
        {
            failures.Add($"{section}:BatchSize is {options.BatchSize}; it must be between 1 and 10000");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
