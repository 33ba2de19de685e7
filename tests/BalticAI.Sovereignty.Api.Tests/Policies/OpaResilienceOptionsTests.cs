using System.Net;
using BalticAI.Sovereignty.Api.Policies.Engines.Opa;
using Microsoft.Extensions.Http.Resilience;

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
}
