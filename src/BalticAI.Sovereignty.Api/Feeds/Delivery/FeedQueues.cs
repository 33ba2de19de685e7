using BalticAI.Sovereignty.Contracts.Feeds;
using RabbitMQ.Client;

namespace BalticAI.Sovereignty.Api.Feeds.Delivery;

/// <summary>
/// Declares the feed topology (idempotent): the topic exchange and one durable quorum queue per
/// authority bound with its feed's routing key, so two authorities of a country each get the whole feed.
/// </summary>
public static class FeedQueues
{
    public static async Task DeclareAsync(IChannel channel, FeedsOptions options, CancellationToken ct)
    {
        await channel.ExchangeDeclareAsync(options.Exchange, ExchangeType.Topic, durable: true, autoDelete: false, cancellationToken: ct);
        foreach (var (queue, feed) in options.Queues())
        {
            await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false,
                new Dictionary<string, object?> { [FeedTopology.QueueTypeArgument] = FeedTopology.QuorumQueueType }, cancellationToken: ct);
            await channel.QueueBindAsync(queue, options.Exchange, FeedTopology.RoutingKey(feed), cancellationToken: ct);
        }
    }
}
