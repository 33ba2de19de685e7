using System.Net;
using BalticAI.Sovereignty.Api.Policies.Engines.Opa;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace BalticAI.Sovereignty.Api.Tests.Policies;

/// <summary>`Policy:Opa:*` as the resilience handler gets it, and the one reading of OPA's Retry-After.</summary>
public sealed class OpaResilienceOptionsTests
{
    [Fact]
    public void The_defaults_are_valid_and_leave_four_seconds_for_a_wait_before_the_last_attempt()
    {
        var options = new OpaResilienceOptions();

        options.Validate().ShouldBeEmpty();
        options.LongestRetriedWait.ShouldBe(TimeSpan.FromSeconds(4));
        // 200 + 400 + 800 ms, and half as long again for jitter: well inside the four seconds.
        options.LongestBackoff.ShouldBe(TimeSpan.FromMilliseconds(2100));
    }

    [Theory]
    [InlineData(DelayBackoffType.Constant, null, false, 3000)]
    [InlineData(DelayBackoffType.Linear, null, false, 6000)]
    [InlineData(DelayBackoffType.Exponential, null, false, 7000)]
    [InlineData(DelayBackoffType.Exponential, 1500, false, 4000)]
    [InlineData(DelayBackoffType.Linear, null, true, 9000)]
    [InlineData(DelayBackoffType.Exponential, null, true, 10500)]
    public void The_longest_backoff_adds_up_every_retrys_delay(DelayBackoffType backoff, int? capMs, bool jitter, int expectedMs)
    {
        var options = new OpaResilienceOptions
        {
            RetryDelay = TimeSpan.FromSeconds(1),
            BackoffType = backoff,
            MaxRetryDelay = capMs is { } cap ? TimeSpan.FromMilliseconds(cap) : null,
            UseJitter = jitter,
        };

        options.LongestBackoff.ShouldBe(TimeSpan.FromMilliseconds(expectedMs));
    }

    [Fact]
    public void A_backoff_that_just_fits_the_total_less_one_attempt_is_valid_and_one_tick_more_is_not()
    {
        var fits = new OpaResilienceOptions { RetryDelay = TimeSpan.FromSeconds(1), BackoffType = DelayBackoffType.Constant, UseJitter = false, MaxRetryAttempts = 4 };
        var over = new OpaResilienceOptions { RetryDelay = TimeSpan.FromSeconds(1), BackoffType = DelayBackoffType.Constant, UseJitter = false, MaxRetryAttempts = 4, TotalTimeout = TimeSpan.FromSeconds(6) - TimeSpan.FromTicks(1) };

        fits.Validate().ShouldBeEmpty();
        over.Validate().ShouldHaveSingleItem().ShouldContain("let the retries' back-off add up to 00:00:04");
    }

    [Theory]
    [InlineData(DelayBackoffType.Constant)]
    [InlineData(DelayBackoffType.Linear)]
    [InlineData(DelayBackoffType.Exponential)]
    public async Task Pollys_jittered_backoff_never_adds_up_to_more_than_the_longest_backoff(DelayBackoffType backoff)
    {
        var options = new OpaResilienceOptions { RetryDelay = TimeSpan.FromMilliseconds(100), BackoffType = backoff, MaxRetryAttempts = 4 };
        var resilience = new HttpStandardResilienceOptions();
        options.ApplyTo(resilience);
        var waited = TimeSpan.Zero;
        resilience.Retry.OnRetry = args =>
        {
            waited += args.RetryDelay;
            return default;
        };
        var retry = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = new TimersFiringAtOnce() }.AddRetry(resilience.Retry).Build();
        var longest = TimeSpan.Zero;

        for (var call = 0; call < 2000; call++)
        {
            waited = TimeSpan.Zero;
            using var failed = await retry.ExecuteAsync(_ => ValueTask.FromResult(new HttpResponseMessage(HttpStatusCode.InternalServerError)));
            longest = TimeSpan.FromTicks(Math.Max(longest.Ticks, waited.Ticks));
        }

        longest.ShouldBeLessThanOrEqualTo(options.LongestBackoff);
    }

    [Fact]
    public void Millions_of_retries_are_added_up_at_once()
    {
        var options = new OpaResilienceOptions { RetryDelay = TimeSpan.FromMilliseconds(1), BackoffType = DelayBackoffType.Linear, MaxRetryDelay = TimeSpan.FromMilliseconds(2), UseJitter = false, MaxRetryAttempts = int.MaxValue };

        options.LongestBackoff.ShouldBe(TimeSpan.FromMilliseconds(1 + 2.0 * (int.MaxValue - 1)));
    }

    [Fact]
    public void Every_setting_reaches_the_handler()
    {
        var options = new OpaResilienceOptions
        {
            AttemptTimeout = TimeSpan.FromSeconds(3),
            TotalTimeout = TimeSpan.FromSeconds(20),
            MaxRetryAttempts = 5,
            SamplingDuration = TimeSpan.FromSeconds(30),
            FailureRatio = 0.5,
            MinimumThroughput = 7,
            BreakDuration = TimeSpan.FromSeconds(45),
            RetryDelay = TimeSpan.FromMilliseconds(300),
            BackoffType = DelayBackoffType.Linear,
            MaxRetryDelay = TimeSpan.FromSeconds(1),
            UseJitter = false,
        };
        var resilience = new HttpStandardResilienceOptions();

        options.ApplyTo(resilience);

        resilience.AttemptTimeout.Timeout.ShouldBe(TimeSpan.FromSeconds(3));
        resilience.TotalRequestTimeout.Timeout.ShouldBe(TimeSpan.FromSeconds(20));
        resilience.Retry.MaxRetryAttempts.ShouldBe(5);
        resilience.CircuitBreaker.SamplingDuration.ShouldBe(TimeSpan.FromSeconds(30));
        resilience.CircuitBreaker.FailureRatio.ShouldBe(0.5);
        resilience.CircuitBreaker.MinimumThroughput.ShouldBe(7);
        resilience.CircuitBreaker.BreakDuration.ShouldBe(TimeSpan.FromSeconds(45));
        resilience.Retry.Delay.ShouldBe(TimeSpan.FromMilliseconds(300));
        resilience.Retry.BackoffType.ShouldBe(DelayBackoffType.Linear);
        resilience.Retry.MaxDelay.ShouldBe(TimeSpan.FromSeconds(1));
        resilience.Retry.UseJitter.ShouldBeFalse();
    }

    [Theory]
    [InlineData(429, 17)]
    [InlineData(503, 17)]
    [InlineData(500, null)]
    [InlineData(502, null)]
    [InlineData(200, null)]
    public void Retry_After_is_read_on_429_and_503_only(int status, int? expected)
    {
        using var response = new HttpResponseMessage((HttpStatusCode)status);
        response.Headers.Add("Retry-After", "17");

        OpaRetryAfter.From(response).ShouldBe(expected is { } seconds ? TimeSpan.FromSeconds(seconds) : null);
    }

    /// <summary>Polly's back-off computed and not waited for, so that many calls' delays can be sampled.</summary>
    private sealed class TimersFiringAtOnce : TimeProvider
    {
        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            ThreadPool.QueueUserWorkItem(_ => callback(state));
            return new Fired();
        }

        private sealed class Fired : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period) => false;

            public void Dispose()
            {
            }

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }
}
