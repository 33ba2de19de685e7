namespace BalticAI.Sovereignty.Contracts.Feeds;

/// <summary>
/// RabbitMQ names every party agrees on: one durable topic exchange, the feed name as routing key,
/// and one durable quorum queue per authority bound to its feed's key.
/// </summary>
public static class FeedTopology
{
    public const string Exchange = "balticai.feeds";

    public const string QueuePrefix = "balticai.feeds.";

    /// <summary>The body is a structured-mode CloudEvent, not a MassTransit envelope.</summary>
    public const string ContentType = "application/cloudevents+json";

    public const string QueueTypeArgument = "x-queue-type";

    public const string QuorumQueueType = "quorum";

    public static string QueueFor(string authorityId, string prefix = QueuePrefix) => prefix + authorityId;

    /// <summary>The routing key of a feed is its name (PL, EE, LT, LV, EU).</summary>
    public static string RoutingKey(string feed) => feed;
}
