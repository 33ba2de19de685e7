using System.Globalization;
using BalticAI.Sovereignty.Api.Infrastructure.Idempotency;

namespace BalticAI.Sovereignty.Api.Tests.Platform;

public sealed class IdempotencySweepOptionsTests
{
    [Fact]
    public void The_defaults_are_valid() =>
        new KeptAnswerSweepOptionsValidator().Validate(null, new KeptAnswerSweepOptions()).Succeeded.ShouldBeTrue();

    [Theory]
    [InlineData("00:00:00", 500, "Idempotency:Sweep:Interval")]
    [InlineData("2.00:00:00", 500, "Idempotency:Sweep:Interval")]
    [InlineData("00:05:00", 0, "Idempotency:Sweep:BatchSize")]
    [InlineData("00:05:00", 10_001, "Idempotency:Sweep:BatchSize")]
    public void Settings_out_of_range_are_refused_naming_the_key(string interval, int batchSize, string key)
    {
        var options = new KeptAnswerSweepOptions { Interval = TimeSpan.Parse(interval, CultureInfo.InvariantCulture), BatchSize = batchSize };

        var result = new KeptAnswerSweepOptionsValidator().Validate(null, options);

        result.Failed.ShouldBeTrue();
        result.FailureMessage.ShouldContain(key);
    }
}
