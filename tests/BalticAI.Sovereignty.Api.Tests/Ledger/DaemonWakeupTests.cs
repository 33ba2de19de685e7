using BalticAI.Sovereignty.Api.Infrastructure.Persistence;
using Shouldly;

namespace BalticAI.Sovereignty.Api.Tests.Ledger;

/// <summary>A broker whose daemon would poll once an hour: only its own commits can wake it in time.</summary>
public sealed class HourlyPollingBroker : LedgerBroker
{
    protected override IDictionary<string, string?> Settings
    {
        get
        {
            var settings = base.Settings;
            settings["Marten:DaemonPollingInterval"] = "01:00:00";
            return settings;
        }
    }
}

[Collection(LedgerCollection.Name)]
public sealed class DaemonWakeupTests(HourlyPollingBroker broker) : IClassFixture<HourlyPollingBroker>
{
    [Fact]
    public async Task A_commit_wakes_the_daemon_without_waiting_for_its_poll()
    {
        // The first append may be met by the daemon's first look at start-up; the second can only be
        // seen by a wake, since the next poll is an hour away.
        var first = await broker.AppendAsync(1, "before");
        await broker.WaitForCheckpointAsync(first[0]);

        var second = await broker.AppendAsync(1, "after");

        var checkpoint = await broker.WaitForCheckpointAsync(second[0]);
        checkpoint["size"]!.GetValue<long>().ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task A_pulse_is_kept_for_the_next_wait_and_many_pulses_wake_once()
    {
        var wakeup = new CommitWakeup(TimeSpan.Zero, TimeProvider.System);
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        wakeup.Pulse();
        wakeup.Pulse();

        await wakeup.WaitAsync(TimeSpan.FromHours(1), bound.Token);
        var second = wakeup.WaitAsync(TimeSpan.FromHours(1), bound.Token);
        var finished = await Task.WhenAny(second, Task.Delay(TimeSpan.FromMilliseconds(300), bound.Token));

        finished.ShouldNotBe(second);
        wakeup.Pulse();
        await second;
    }

    [Fact]
    public async Task Concurrent_pulses_throw_nothing_and_a_pulse_after_a_wake_wakes_again()
    {
        var wakeup = new CommitWakeup(TimeSpan.Zero, TimeProvider.System);
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var thrown = 0;
        void Count(object? sender, System.Runtime.ExceptionServices.FirstChanceExceptionEventArgs e)
        {
            // The handler runs on the throwing thread, whose stack still holds the pulse (the exception's own trace does not yet).
            if (e.Exception is SemaphoreFullException && Environment.StackTrace.Contains(nameof(CommitWakeup.Pulse)))
            {
                Interlocked.Increment(ref thrown);
            }
        }
        AppDomain.CurrentDomain.FirstChanceException += Count;
        try
        {
            await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
            {
                for (var i = 0; i < 1_000; i++)
                {
                    wakeup.Pulse();
                }
            })));
        }
        finally
        {
            AppDomain.CurrentDomain.FirstChanceException -= Count;
        }

        thrown.ShouldBe(0);
        await wakeup.WaitAsync(TimeSpan.FromHours(1), bound.Token);
        wakeup.Pulse();
        var again = wakeup.WaitAsync(TimeSpan.FromHours(1), bound.Token);
        (await Task.WhenAny(again, Task.Delay(TimeSpan.FromSeconds(10), bound.Token))).ShouldBe(again);
    }
}
