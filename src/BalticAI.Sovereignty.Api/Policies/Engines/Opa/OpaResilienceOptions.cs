using System.Globalization;
using BalticAI.Sovereignty.Api.Infrastructure.Hardening;
using Microsoft.Extensions.Http.Resilience;

namespace BalticAI.Sovereignty.Api.Policies.Engines.Opa;

/// <summary>
/// How the broker calls OPA (`Policy:Opa:*`): the standard resilience handler's total timeout around retries around a
/// circuit breaker around a timeout per attempt. An OPA behind a proxy may need longer attempts or a calmer breaker.
/// </summary>
public sealed class OpaResilienceOptions
{
    public const string SectionName = PolicyOptions.SectionName + ":Opa";

    private static readonly TimeSpan ShortestTimeout = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan ShortestWindow = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan Longest = TimeSpan.FromDays(1);

    /// <summary>Each attempt at a call to OPA: the first and every retry.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>One call with all its retries and their waits.</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(6);

    /// <summary>Retries after the first attempt, as far as <see cref="TotalTimeout"/> lets them run.</summary>
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>The window in which the breaker counts failures.</summary>
    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The share of failed calls within the window that opens the circuit.</summary>
    public double FailureRatio { get; set; } = 0.1;

    /// <summary>Calls within the window before the breaker judges at all.</summary>
    public int MinimumThroughput { get; set; } = 100;

    /// <summary>How long an open circuit refuses calls; what is left of it is the broker's Retry-After meanwhile.</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The longest Retry-After still retried: one more attempt must fit in the total after the wait. A longer one is
    /// handed on at once as the broker's 503, not sat out into a timeout that would lose it.
    /// </summary>
    public TimeSpan LongestRetriedWait => TotalTimeout - AttemptTimeout;

    public void ApplyTo(HttpStandardResilienceOptions resilience)
    {
        resilience.AttemptTimeout.Timeout = AttemptTimeout;
        resilience.TotalRequestTimeout.Timeout = TotalTimeout;
        resilience.Retry.MaxRetryAttempts = MaxRetryAttempts;
        resilience.CircuitBreaker.SamplingDuration = SamplingDuration;
        resilience.CircuitBreaker.FailureRatio = FailureRatio;
        resilience.CircuitBreaker.MinimumThroughput = MinimumThroughput;
        resilience.CircuitBreaker.BreakDuration = BreakDuration;
        var transient = resilience.Retry.ShouldHandle;
        resilience.Retry.ShouldHandle = args =>
            OpaRetryAfter.From(args.Outcome.Result) > LongestRetriedWait ? ValueTask.FromResult(false) : transient(args);
        // The handler's own reading takes Retry-After on any status, so a 500's would set its retry's wait. A date already
        // past gives a negative wait, which Polly ignores for its back-off.
        resilience.Retry.DelayGenerator = args => ValueTask.FromResult(OpaRetryAfter.From(args.Outcome.Result));
    }

    /// <summary>
    /// Every setting the resilience handler would refuse when first called, and what would defeat its purpose, named
    /// by key; Polly's own bounds, and its rules between settings, so no call to OPA fails on its validation.
    /// </summary>
    public List<string> Validate()
    {
        var failures = new List<string>();
        SettingRange.Check(failures, $"{SectionName}:AttemptTimeout", AttemptTimeout, ShortestTimeout, Longest);
        SettingRange.Check(failures, $"{SectionName}:TotalTimeout", TotalTimeout, ShortestTimeout, Longest);
        if (TotalTimeout <= AttemptTimeout)
        {
            failures.Add($"{SectionName}:TotalTimeout is {TotalTimeout}; it must be longer than {SectionName}:AttemptTimeout ({AttemptTimeout})");
        }
        if (MaxRetryAttempts < 1)
        {
            failures.Add($"{SectionName}:MaxRetryAttempts is {MaxRetryAttempts}; it must be at least 1");
        }
        SettingRange.Check(failures, $"{SectionName}:SamplingDuration", SamplingDuration, ShortestWindow, Longest);
        // Polly's rule: a shorter window could hold no more than one timed-out attempt.
        if (SamplingDuration < 2 * AttemptTimeout)
        {
            failures.Add($"{SectionName}:SamplingDuration is {SamplingDuration}; it must be at least twice {SectionName}:AttemptTimeout ({AttemptTimeout})");
        }
        if (!(FailureRatio > 0 && FailureRatio <= 1))
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{SectionName}:FailureRatio is {FailureRatio}; it must be more than 0 and at most 1"));
        }
        if (MinimumThroughput < 2)
        {
            failures.Add($"{SectionName}:MinimumThroughput is {MinimumThroughput}; it must be at least 2");
        }
        SettingRange.Check(failures, $"{SectionName}:BreakDuration", BreakDuration, ShortestWindow, Longest);
        return failures;
    }
}
