using System.Threading.Channels;
using BalticAI.Sovereignty.Contracts.Feeds;
using BalticAI.Sovereignty.RegulatorInbox.Storage;
using BalticAI.Sovereignty.RegulatorInbox.Verification;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace BalticAI.Sovereignty.RegulatorInbox.Receiving;

/// <summary>
/// Consumes the authority's queue with manual acknowledgements: a batch is verified, stored in one
/// transaction and only then acknowledged, so a crash mid-batch redelivers it and the store drops
/// what it already holds (at-least-once on the wire, exactly-once in the inbox).
/// </summary>
public sealed class FeedConsumer(
    IOptions<InboxOptions> inboxOptions, IOptions<RabbitMqOptions> rabbitOptions, EnvelopeCheck check, InboxStore store,
    ConsumerState state, ILogger<FeedConsumer> logger) : BackgroundService
{
    private readonly InboxOptions _options = inboxOptions.Value;

    /// <summary>A message as received; <see cref="Whole"/> when it was too large and <see cref="Body"/> is the part kept.</summary>
    private sealed record Delivery(ulong Tag, byte[] Body, WholeBody? Whole);

    /// <summary>The schema exists before the host serves requests: the status endpoint reads it.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await RetryAsync(store.CreateAsync, "creating the inbox schema", cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        RetryAsync(ConsumeAsync, "consuming " + _options.Queue, stoppingToken);

    private async Task RetryAsync(Func<CancellationToken, Task> work, string what, CancellationToken stoppingToken)
    {
        var backoff = TimeSpan.FromMilliseconds(200);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await work(stoppingToken);
                return;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                state.Connected = false;
                logger.LogWarning("Inbox {Authority}: {What} failed: {Error}; retrying in {Backoff}", _options.Authority, what, e.Message, backoff);
                await Task.Delay(backoff, stoppingToken);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(2).Ticks));
            }
        }
    }

    private async Task ConsumeAsync(CancellationToken stoppingToken)
    {
        var rabbit = rabbitOptions.Value;
        var factory = new ConnectionFactory
        {
            HostName = rabbit.Host, Port = rabbit.Port, VirtualHost = rabbit.VirtualHost, UserName = rabbit.Username, Password = rabbit.Password,
            ClientProvidedName = "balticai-inbox-" + _options.Authority,
            // Reconnecting is done here, with a fresh channel: acknowledging a delivery tag from a
            // channel that a library recovered underneath would acknowledge the wrong message.
            AutomaticRecoveryEnabled = false,
            RequestedConnectionTimeout = TimeSpan.FromSeconds(5),
        };
        await using var connection = await factory.CreateConnectionAsync(stoppingToken);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: stoppingToken);
        await DeclareAsync(channel, stoppingToken);
        await channel.BasicQosAsync(0, _options.Prefetch, global: false, stoppingToken);

        var deliveries = Channel.CreateUnbounded<Delivery>(new UnboundedChannelOptions { SingleReader = true });
        channel.ChannelShutdownAsync += (_, args) =>
        {
            deliveries.Writer.TryComplete(new IOException("channel closed: " + args.ReplyText));
            return Task.CompletedTask;
        };
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += async (_, message) =>
            await deliveries.Writer.WriteAsync(Receive(message.DeliveryTag, message.Body), stoppingToken);
        await channel.BasicConsumeAsync(_options.Queue, autoAck: false, consumer, stoppingToken);
        state.Connected = true;
        logger.LogInformation("Inbox {Authority} consuming {Queue} ({Feed} feed)", _options.Authority, _options.Queue, _options.Feed);

        var batch = new List<Delivery>(_options.BatchSize);
        while (await deliveries.Reader.WaitToReadAsync(stoppingToken))
        {
            batch.Clear();
            while (batch.Count < _options.BatchSize && deliveries.Reader.TryRead(out var delivery))
            {
                batch.Add(delivery);
            }
            await HandleAsync(channel, batch, stoppingToken);
        }
    }

    private async Task HandleAsync(IChannel channel, List<Delivery> batch, CancellationToken ct)
    {
        try
        {
            var results = new List<CheckResult>(batch.Count);
            foreach (var delivery in batch)
            {
                results.Add(delivery.Whole is { } whole
                    ? CheckResult.Oversized(delivery.Body, whole, _options.MaxEnvelopeBytes)
                    : await check.CheckAsync(delivery.Body, _options.Feed, ct));
            }
            var outcome = await store.StoreAsync(results, ct);
            Report(outcome);
            await channel.BasicAckAsync(batch[^1].Tag, multiple: true, ct);
        }
        catch (BrokerKeysUnavailableException e)
        {
            // Without the broker's keys nothing can be judged: put the batch back and try later.
            logger.LogWarning("Inbox {Authority}: broker keys unavailable ({Error}); batch of {Count} returned to the queue", _options.Authority, e.Message, batch.Count);
            await channel.BasicNackAsync(batch[^1].Tag, multiple: true, requeue: true, ct);
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
        }
    }

    /// <summary>
    /// A copy of the message, which the client library reuses once the handler returns. A message larger than any envelope
    /// is not copied whole, only the part its rejection keeps, with its length and SHA-256 taken over the library's buffer:
    /// up to Inbox:Prefetch of them may wait in the channel, and parsed, one would cost several times its size.
    /// </summary>
    private Delivery Receive(ulong tag, ReadOnlyMemory<byte> body) =>
        body.Length <= _options.MaxEnvelopeBytes
            ? new Delivery(tag, body.ToArray(), null)
            : new Delivery(tag, body[..Math.Min(body.Length, _options.MaxRejectedBodyBytes)].ToArray(),
                new WholeBody(body.Length, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(body.Span))));

    private void Report(BatchOutcome outcome)
    {
        foreach (var failure in outcome.Failures)
        {
            logger.LogError("Inbox {Authority}: {Kind} envelope (feedseq {FeedSeq}, id {EventId}): {Reason}",
                _options.Authority, failure.Kind.ToUpperInvariant(), failure.FeedSeq, failure.EventId, failure.Reason);
        }
        foreach (var (from, to) in outcome.NewGaps)
        {
            logger.LogWarning("Inbox {Authority}: gap in the {Feed} feed, feedseq {From}..{To} not received yet", _options.Authority, _options.Feed, from, to);
        }
    }

    private async Task DeclareAsync(IChannel channel, CancellationToken ct)
    {
        // Same declaration as the broker's (idempotent), so the inbox may start first.
        await channel.ExchangeDeclareAsync(_options.Exchange, ExchangeType.Topic, durable: true, autoDelete: false, cancellationToken: ct);
        await channel.QueueDeclareAsync(_options.Queue, durable: true, exclusive: false, autoDelete: false,
            new Dictionary<string, object?> { [FeedTopology.QueueTypeArgument] = FeedTopology.QuorumQueueType }, cancellationToken: ct);
        await channel.QueueBindAsync(_options.Queue, _options.Exchange, FeedTopology.RoutingKey(_options.Feed), cancellationToken: ct);
    }
}
