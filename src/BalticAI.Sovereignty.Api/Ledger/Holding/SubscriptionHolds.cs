using System.Collections.Concurrent;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace BalticAI.Sovereignty.Api.Ledger.Holding;

/// <summary>
/// The ledger subscriptions (regulator feeds, event index) that stopped before an event they could not
/// read rather than move past it. A hold ends only when the daemon stops this node's subscriptions (the
/// node shuts down or loses the daemon lock): a node that knows the event's type then goes on from the
/// saved progress, so the event and everything after it still arrive, in order.
/// </summary>
public sealed class SubscriptionHolds(ILogger<SubscriptionHolds> logger)
{
    private readonly ConcurrentDictionary<string, UnreadEvent> _held = new();

    public IReadOnlyDictionary<string, UnreadEvent> Current => _held;

    /// <summary>Waits, holding <paramref name="subscription"/> before <paramref name="unread"/>, until <paramref name="ct"/> is cancelled.</summary>
    public async Task HoldAsync(string subscription, UnreadEvent unread, CancellationToken ct)
    {
        _held[subscription] = unread;
        logger.LogCritical(
            "Subscription {Subscription} holds before ledger event {Sequence}: this build cannot read its type '{Type}' (a newer node may have written it). " +
            "Nothing after it is forwarded until a node that reads it runs the subscriptions; upgrade or stop this node.",
            subscription, unread.Sequence, unread.Type);
        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, ct);
        }
        finally
        {
            _held.TryRemove(subscription, out _);
        }
    }
}

/// <summary>Degraded while a subscription holds: the node still answers requests, but its feeds or index stand still.</summary>
public sealed class SubscriptionHoldsHealthCheck(SubscriptionHolds holds) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var held = holds.Current;
        return Task.FromResult(held.Count == 0
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Degraded(string.Join("; ", held.OrderBy(h => h.Key, StringComparer.Ordinal)
                .Select(h => $"{h.Key} holds before ledger event {h.Value.Sequence} of type '{h.Value.Type}', which this build cannot read"))));
    }
}
