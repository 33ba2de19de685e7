using JasperFx.Events.Daemon.HighWater;
using Marten;
using Marten.Services;

namespace BalticAI.Sovereignty.Api.Infrastructure.Persistence;

/// <summary>
/// Wakes the async daemon's high-water agent when this process commits events, so subscriptions (feeds,
/// the ledger tree, the event index) see a commit within milliseconds instead of after the agent's
/// polling interval (up to a second once it has settled into slow polling). The signal costs a
/// semaphore release, not a database round trip as LISTEN/NOTIFY does. Wakes are at least
/// <c>minimumInterval</c> apart, so under load commits are gathered into pages rather than each
/// commit starting a page of its own in every subscription. Commits of other nodes are still found by
/// polling, which stays the safety net.
/// </summary>
public sealed class CommitWakeup(TimeSpan minimumInterval, TimeProvider time) : IDaemonWakeup
{
    private readonly SemaphoreSlim _signal = new(0, 1);
    private long _lastWake;
    private int _pending;

    /// <summary>
    /// Sticky: a commit that lands while nobody waits still wakes the next wait. A wake already pending is
    /// enough for any number of commits; only the pulse that sets the flag releases, because releasing a
    /// full semaphore throws, and under load that was one exception for most commits (200 a second).
    /// </summary>
    public void Pulse()
    {
        if (Interlocked.Exchange(ref _pending, 1) == 0)
        {
            _signal.Release();
        }
    }

    public async Task WaitAsync(TimeSpan timeout, CancellationToken token)
    {
        var signalled = await _signal.WaitAsync(timeout, token);
        if (signalled)
        {
            // Cleared before the daemon reads the high-water mark: a commit after this pulses again, and
            // one before it is seen by this wake's read.
            Volatile.Write(ref _pending, 0);
            var sinceLast = time.GetElapsedTime(Interlocked.Read(ref _lastWake));
            if (sinceLast < minimumInterval)
            {
                await Task.Delay(minimumInterval - sinceLast, time, token);
            }
        }
        Interlocked.Exchange(ref _lastWake, time.GetTimestamp());
    }

    /// <summary>
    /// Nothing to release early: the daemon disposes its wakeup when it stops, but a hot/cold node stops and
    /// starts its daemon again with the same store, and the session listener keeps pulsing meanwhile.
    /// </summary>
    public void Dispose()
    {
    }
}

/// <summary>Pulses <see cref="CommitWakeup"/> after every session commit that appended events.</summary>
public sealed class WakeDaemonOnCommit(CommitWakeup wakeup) : DocumentSessionListenerBase
{
    public override Task AfterCommitAsync(IDocumentSession session, IChangeSet commit, CancellationToken token)
    {
        if (commit.GetEvents().Any())
        {
            wakeup.Pulse();
        }
        return Task.CompletedTask;
    }
}
