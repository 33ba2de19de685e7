using BalticAI.Sovereignty.Api.Infrastructure.Problems;

namespace BalticAI.Sovereignty.Api.Tests.Platform;

public sealed class ProblemOptionsTests
{
    [Fact]
    public void The_defaults_are_valid() =>
        new ProblemOptionsValidator().Validate(null, new ProblemOptions()).Succeeded.ShouldBeTrue();

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(3601)]
    public void A_default_wait_out_of_range_is_refused_naming_the_key(int seconds)
    {
        var result = new ProblemOptionsValidator().Validate(null, new ProblemOptions { RetryAfterSeconds = seconds });

        result.Failed.ShouldBeTrue();
        result.FailureMessage.ShouldContain("Problems:RetryAfterSeconds");
    }

    [Fact]
    public void Without_a_hint_the_configured_default_is_sent() =>
        new ProblemOptions { RetryAfterSeconds = 9 }.RetryAfterFor(null).ShouldBe(9);

    [Theory]
    [InlineData(17_000, 17)]
    [InlineData(16_200, 17)]
    [InlineData(100, 1)]
    [InlineData(0, 1)]
    [InlineData(-3_000, 1)]
    [InlineData(300_000, 300)]
    [InlineData(86_400_000, 300)]
    public void A_hint_is_rounded_up_to_whole_seconds_and_kept_between_1_and_300(long milliseconds, int expected) =>
        new ProblemOptions().RetryAfterFor(TimeSpan.FromMilliseconds(milliseconds)).ShouldBe(expected);

    [Fact]
    public void The_hint_of_a_date_is_measured_against_the_upstreams_own_Date_header()
    {
        var answeredAt = new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
        var header = new System.Net.Http.Headers.RetryConditionHeaderValue(answeredAt.AddSeconds(17));

        // This host's clock is an hour off; the upstream's two headers still say 17 s.
        Security.RetryAfterHint.From(header, answeredAt, answeredAt.AddHours(1)).ShouldBe(TimeSpan.FromSeconds(17));
        Security.RetryAfterHint.From("Mon, 30 Nov 2026 12:00:17 GMT", null, answeredAt).ShouldBe(TimeSpan.FromSeconds(17));
        Security.RetryAfterHint.From("soon", null, answeredAt).ShouldBeNull();
    }
}
