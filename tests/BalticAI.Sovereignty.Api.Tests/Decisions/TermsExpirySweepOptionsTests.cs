using System.Collections.Concurrent;
using System.Globalization;
using BalticAI.Sovereignty.Api.Decisions.Grants.Revoking;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace BalticAI.Sovereignty.Api.Tests.Decisions;

public sealed class TermsExpirySweepOptionsTests
{
    [Fact]
    public void The_default_is_valid_and_30_seconds()
    {
        var options = new TermsExpirySweepOptions();

        new TermsExpirySweepOptionsValidator().Validate(null, options).Succeeded.ShouldBeTrue();
        options.Interval.ShouldBe(TimeSpan.FromSeconds(30));
    }

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("00:00:00.5")]
    [InlineData("01:00:01")]
    public void An_interval_out_of_range_is_refused_naming_the_key(string interval)
    {
        var options = new TermsExpirySweepOptions { Interval = TimeSpan.Parse(interval, CultureInfo.InvariantCulture) };

        var result = new TermsExpirySweepOptionsValidator().Validate(null, options);

        result.Failed.ShouldBeTrue();
        result.FailureMessage.ShouldContain("Grants:TermsExpirySweep:Interval");
    }
}

/// <summary>The system clock, noting every timer asked of it: which waits the broker's loops use.</summary>
public sealed class TimerRecordingClock : TimeProvider
{
    public ConcurrentQueue<TimeSpan> DueTimes { get; } = new();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        DueTimes.Enqueue(dueTime);
        return base.CreateTimer(callback, state, dueTime, period);
    }
}

public sealed class SlowSweepBroker : BrokerFactory
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2345);

    public TimerRecordingClock Clock { get; } = new();

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["Grants:TermsExpirySweep:Interval"] = Interval.ToString("c", CultureInfo.InvariantCulture),
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }
}

public sealed class TermsExpirySweepIntervalTests(SlowSweepBroker broker) : IClassFixture<SlowSweepBroker>
{
    [Fact]
    public async Task The_sweeper_waits_the_configured_interval_between_sweeps()
    {
        broker.Services.GetRequiredService<TermsExpirySweeper>().ShouldNotBeNull();

        // The first sweep runs at start, then the loop waits; nothing else in the broker waits 2345 s.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!broker.Clock.DueTimes.Contains(SlowSweepBroker.Interval))
        {
            DateTime.UtcNow.ShouldBeLessThan(deadline, "the sweeper never waited Grants:TermsExpirySweep:Interval");
            await Task.Delay(100);
        }
    }
}
