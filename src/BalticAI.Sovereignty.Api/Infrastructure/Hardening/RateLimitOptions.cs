using Microsoft.Extensions.Options;

namespace BalticAI.Sovereignty.Api.Infrastructure.Hardening;

/// <summary>
/// Per-caller token buckets. An authenticated caller is its organisation (tenant) and client
/// application, with one bucket for reads and one for writes, so a script that floods decisions
/// cannot starve its own organisation's dashboards, nor anyone else. Anonymous requests share a
/// bucket per client address.
/// </summary>
public sealed class RateLimitOptions
{
    public const string SectionName = "RateLimits";

    public bool Enabled { get; set; } = true;

    /// <summary>GET, HEAD and OPTIONS of an authenticated caller.</summary>
    public TokenBudget Reads { get; set; } = new() { TokenLimit = 400, TokensPerPeriod = 200 };

    /// <summary>Every other method of an authenticated caller (decisions, registrations, ...).</summary>
    public TokenBudget Writes { get; set; } = new() { TokenLimit = 200, TokensPerPeriod = 100 };

    /// <summary>Requests without a valid token, per client IPv4 address or IPv6 /64.</summary>
    public TokenBudget Anonymous { get; set; } = new() { TokenLimit = 60, TokensPerPeriod = 30 };

    /// <summary>
    /// How many validated bearer tokens are remembered (as digests, until their `exp`) so that their
    /// repeats over budget are refused before the signature check. About 100 bytes each.
    /// </summary>
    public int KnownTokenCapacity { get; set; } = 20_000;
}

/// <summary>A token bucket: bursts up to <see cref="TokenLimit"/>, sustained <see cref="TokensPerPeriod"/> per period.</summary>
public sealed class TokenBudget
{
    public int TokenLimit { get; set; }

    public int TokensPerPeriod { get; set; }

    public TimeSpan ReplenishmentPeriod { get; set; } = TimeSpan.FromSeconds(1);
}

internal sealed class RateLimitOptionsValidator : IValidateOptions<RateLimitOptions>
{
    public ValidateOptionsResult Validate(string? name, RateLimitOptions options)
    {
        var failures = new List<string>();
        Check(nameof(options.Reads), options.Reads, failures);
        Check(nameof(options.Writes), options.Writes, failures);
        Check(nameof(options.Anonymous), options.Anonymous, failures);
        if (options.KnownTokenCapacity is < 1 or > 10_000_000)
        {
            failures.Add($"{RateLimitOptions.SectionName}:KnownTokenCapacity is {options.KnownTokenCapacity}; it must be between 1 and 10000000");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Check(string budgetName, TokenBudget budget, List<string> failures)
    {
        var key = $"{RateLimitOptions.SectionName}:{budgetName}";
        if (budget.TokenLimit is < 1 or > 1_000_000)
        {
            failures.Add($"{key}:TokenLimit is {budget.TokenLimit}; it must be between 1 and 1000000 (the largest burst)");
        }
        if (budget.TokensPerPeriod < 1 || budget.TokensPerPeriod > budget.TokenLimit)
        {
            failures.Add($"{key}:TokensPerPeriod is {budget.TokensPerPeriod}; it must be at least 1 and at most TokenLimit ({budget.TokenLimit})");
        }
        if (budget.ReplenishmentPeriod < TimeSpan.FromMilliseconds(1) || budget.ReplenishmentPeriod > TimeSpan.FromDays(1))
        {
            failures.Add($"{key}:ReplenishmentPeriod is {budget.ReplenishmentPeriod}; it must be between 00:00:00.001 and 1.00:00:00");
        }
    }
}
