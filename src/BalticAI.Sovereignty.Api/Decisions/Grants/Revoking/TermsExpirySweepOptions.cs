using BalticAI.Sovereignty.Api.Infrastructure.Hardening;
using Microsoft.Extensions.Options;

namespace BalticAI.Sovereignty.Api.Decisions.Grants.Revoking;

/// <summary>How often <see cref="TermsExpirySweeper"/> looks for grants whose terms ended (`Grants:TermsExpirySweep:*`).</summary>
public sealed class TermsExpirySweepOptions
{
    public const string SectionName = "Grants:TermsExpirySweep";

    /// <summary>
    /// Time between two sweeps of this node. A grant never outlives its terms, so this delays only the recorded
    /// revocation and its notice to the training system, never what the data plane may accept.
    /// </summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(30);
}

internal sealed class TermsExpirySweepOptionsValidator : IValidateOptions<TermsExpirySweepOptions>
{
    public ValidateOptionsResult Validate(string? name, TermsExpirySweepOptions options)
    {
        var failures = new List<string>();
        // Past an hour the revocation notices would lag the terms long enough for training systems to notice.
        SettingRange.Check(failures, $"{TermsExpirySweepOptions.SectionName}:Interval", options.Interval, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
