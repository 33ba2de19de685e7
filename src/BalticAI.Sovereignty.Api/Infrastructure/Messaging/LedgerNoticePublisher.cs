using BalticAI.Sovereignty.Api.Infrastructure.Resilience;
using Marten.Subscriptions;
using MassTransit;

namespace BalticAI.Sovereignty.Api.Infrastructure.Messaging;

/// <summary>
/// A Marten subscription that turns recorded events into notices on RabbitMQ. Marten saves its progress only after a
/// page's notices were published, so a restart repeats notices rather than losing them (receivers de-duplicate), and a
/// ledger change stands while RabbitMQ is away: the notice follows when it is back.
/// </summary>
public abstract class LedgerNoticePublisher(IBus bus, ILogger logger) : SubscriptionBase
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);

    /// <summary>Never hands a failure to the daemon, whose error policy could skip the page: it waits for RabbitMQ instead.</summary>
    protected Task PublishUntilSentAsync<T>(IReadOnlyList<T> notices, CancellationToken ct)
        where T : class =>
        new Backoff(TimeSpan.FromMilliseconds(100), MaxBackoff).RetryUntilDoneAsync(
            (_, token) => Task.WhenAll(notices.Select(n => bus.Publish(n, token))),
            (e, attempt) => logger.LogWarning("Publishing {Count} {Notice}s failed (attempt {Attempt}): {Error}; retrying", notices.Count, typeof(T).Name, attempt, e.Message),
            ct);
}
