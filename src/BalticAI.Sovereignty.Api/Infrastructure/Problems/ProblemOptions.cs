using Microsoft.Extensions.Options;

namespace BalticAI.Sovereignty.Api.Infrastructure.Problems;

/// <summary>How long a 503 tells the caller to wait (`Problems:*`).</summary>
public sealed class ProblemOptions
{
    public const string SectionName = "Problems";

    /// <summary>
    /// The upper bound of a wait the broker passes on from a dependency (OPA's or Key Vault's Retry-After, an open
    /// circuit): a buggy or hostile upstream, or a proxy in front of it, must not send every caller away for a day.
    /// Past five minutes an operator is at work anyway, and callers asking again then cost little.
    /// </summary>
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromMinutes(5);

    /// <summary>The Retry-After of a 503 when the dependency gave no hint (the database, a request timeout, OPA down).</summary>
    public int RetryAfterSeconds { get; set; } = 5;

    /// <summary>Whole seconds to send: <paramref name="hint"/> rounded up, at least 1 and at most <see cref="MaxRetryAfter"/>; without a hint, the default.</summary>
    public int RetryAfterFor(TimeSpan? hint) => hint is { } wait
        ? (int)Math.Clamp(Math.Ceiling(wait.TotalSeconds), 1, MaxRetryAfter.TotalSeconds)
        : RetryAfterSeconds;
}

internal sealed class ProblemOptionsValidator : IValidateOptions<ProblemOptions>
{
    public ValidateOptionsResult Validate(string? name, ProblemOptions options) => options.RetryAfterSeconds is < 1 or > 3600
        ? ValidateOptionsResult.Fail($"{ProblemOptions.SectionName}:RetryAfterSeconds is {options.RetryAfterSeconds}; it must be between 1 and 3600")
        : ValidateOptionsResult.Success;
}
