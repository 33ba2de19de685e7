using System.Globalization;
using BalticAI.Sovereignty.Api.Infrastructure.Hardening;
using Microsoft.Extensions.Http.Resilience;
using Polly;

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

    /// <summary>
    /// Jitter lengthens the back-off by less than half, as Polly computes it: a constant or linear delay by a quarter at
    /// most; exponential ones ("decorrelated jitter") add up, over the first n retries, to less than 2^n / 1.4 times
    /// <see cref="RetryDelay"/>, which is 1.43 times their plain sum for n = 1 and less for more. A cap only shortens them.
    /// </summary>
    private const double JitterAllowance = 1.5;

    /// <summary>Each attempt at a call to OPA: the first and every retry.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>One call with all its retries and their waits.</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(6);

    /// <summary>
    /// Retries after the first attempt. Their back-off always fits in <see cref="TotalTimeout"/> (<see cref="LongestBackoff"/>),
    /// so all of them run when OPA fails fast; attempts that time out use up the total sooner.
    /// </summary>
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>The back-off before the first retry, which <see cref="BackoffType"/> grows for the later ones.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Constant (every retry waits <see cref="RetryDelay"/>), Linear (1, 2, 3 times it) or Exponential (1, 2, 4 times it).</summary>
    public DelayBackoffType BackoffType { get; set; } = DelayBackoffType.Exponential;

    /// <summary>The longest back-off before any one retry; none when null.</summary>
    public TimeSpan? MaxRetryDelay { get; set; }

    /// <summary>
    /// Whether each back-off is randomised (Polly's jitter), so that decisions failing together do not retry together.
    /// </summary>
    public bool UseJitter { get; set; } = true;

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

    /// <summary>
    /// The longest the back-off of all <see cref="MaxRetryAttempts"/> retries can add up to: for the n-th retry
    /// <see cref="RetryDelay"/> times 1 (Constant), n (Linear) or 2^(n-1) (Exponential), at most <see cref="MaxRetryDelay"/>,
    /// summed, and half as long again with <see cref="UseJitter"/>. Start-up requires it to be at most
    /// <see cref="LongestRetriedWait"/>, the total less one attempt, as for a retried Retry-After: when OPA fails fast (a 500
    /// at once, a refused connection) every retry runs, the last one with a whole attempt's time. Attempt timeouts are not
    /// counted: the total is what bounds an OPA that hangs, and counting them would require a total of at least
    /// (MaxRetryAttempts + 1) attempts, 8 s with the default 2 s attempts, where the total could never cut anything.
    /// Counting stops past a day, longer than any total may be.
    /// </summary>
    public TimeSpan LongestBackoff
    {
        get
        {
            if (RetryDelay <= TimeSpan.Zero)
            {
                return TimeSpan.Zero;
            }
            var ticks = 0.0;
            for (var retry = 0; retry < MaxRetryAttempts && ticks <= Longest.Ticks; retry++)
            {
                var delay = RetryDelay.Ticks * BackoffType switch
                {
                    DelayBackoffType.Linear => retry + 1.0,
                    DelayBackoffType.Exponential => Math.Pow(2, retry),
                    _ => 1.0,
                };
                var capped = MaxRetryDelay is { } cap && delay >= cap.Ticks;
                if (capped || BackoffType == DelayBackoffType.Constant)
                {
                    // Every retry from here on waits as long as this one: all of them at once, as there may be millions.
                    ticks += (MaxRetryAttempts - retry) * (capped ? MaxRetryDelay!.Value.Ticks : delay);
                    break;
                }
                ticks += delay;
            }
            ticks *= UseJitter ? JitterAllowance : 1;
            return ticks >= TimeSpan.MaxValue.Ticks ? TimeSpan.MaxValue : TimeSpan.FromTicks((long)ticks);
        }
    }

    public void ApplyTo(HttpStandardResilienceOptions resilience)
    {
        resilience.AttemptTimeout.Timeout = AttemptTimeout;
        resilience.TotalRequestTimeout.Timeout = TotalTimeout;
        resilience.Retry.MaxRetryAttempts = MaxRetryAttempts;
        resilience.Retry.Delay = RetryDelay;
        resilience.Retry.BackoffType = BackoffType;
        resilience.Retry.MaxDelay = MaxRetryDelay;
        resilience.Retry.UseJitter = UseJitter;
        resilience.CircuitBreaker.SamplingDuration = SamplingDuration;
        resilience.CircuitBreaker.FailureRatio = FailureRatio;
        resilience.CircuitBreaker.MinimumThroughput = MinimumThroughput;
        resilience.CircuitBreaker.BreakDuration = BreakDuration;
        // An error the policy raised is OPA's answer, the same on every attempt: retried, it would only delay the caller;
        // counted, a few requests on an input a rule conflicts for would open the circuit for every decision.
        var transient = resilience.Retry.ShouldHandle;
        resilience.Retry.ShouldHandle = async args =>
            !(OpaRetryAfter.From(args.Outcome.Result) > LongestRetriedWait)
            && !await OpaError.RaisedByPolicyAsync(args.Outcome.Result, args.Context.CancellationToken) && await transient(args);
        var failure = resilience.CircuitBreaker.ShouldHandle;
        resilience.CircuitBreaker.ShouldHandle = async args =>
            !await OpaError.RaisedByPolicyAsync(args.Outcome.Result, args.Context.CancellationToken) && await failure(args);
        // The handler's own reading takes Retry-After on any status, so a 500's would set its retry's wait. A date already
        // past gives a negative wait, which Polly ignores for its back-off. A retry after a 429 or 503 waits what it names
        // instead of its back-off: each such wait is bounded by LongestRetriedWait, not counted in LongestBackoff.
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
        var delayValid = SettingRange.Check(failures, $"{SectionName}:RetryDelay", RetryDelay, TimeSpan.Zero, Longest);
        var capValid = MaxRetryDelay is not { } cap || SettingRange.Check(failures, $"{SectionName}:MaxRetryDelay", cap, TimeSpan.Zero, Longest);
        if (!Enum.IsDefined(BackoffType))
        {
            failures.Add($"{SectionName}:BackoffType is {BackoffType}; use Constant, Linear or Exponential");
        }
        // Only a total that leaves a whole attempt (refused above otherwise) is a budget to hold the back-off to.
        else if (delayValid && capValid && TotalTimeout > AttemptTimeout && LongestBackoff > LongestRetriedWait)
        {
            failures.Add($"{SectionName}:RetryDelay ({RetryDelay}), {SectionName}:BackoffType ({BackoffType}), "
                + $"{SectionName}:MaxRetryDelay ({MaxRetryDelay?.ToString() ?? "none"}), {SectionName}:UseJitter ({UseJitter}) and "
                + $"{SectionName}:MaxRetryAttempts ({MaxRetryAttempts}) let the retries' back-off add up to {LongestBackoff}"
                + $"{(UseJitter ? " (half as long again with jitter)" : "")}; it must be at most {SectionName}:TotalTimeout less {SectionName}:AttemptTimeout "
                + $"({LongestRetriedWait}), so that every retry runs when OPA fails fast");
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
