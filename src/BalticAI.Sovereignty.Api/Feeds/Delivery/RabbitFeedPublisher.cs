using BalticAI.Sovereignty.Api.Feeds.Outbox;
using BalticAI.Sovereignty.Api.Infrastructure.Messaging;
using BalticAI.Sovereignty.Api.Infrastructure.Resilience;
using BalticAI.Sovereignty.Api.Infrastructure.Telemetry;
using BalticAI.Sovereignty.Contracts.Feeds;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace BalticAI.Sovereignty.Api.Feeds.Delivery;

/// <summary>
/// Sends stored envelope bytes unchanged as the raw AMQP body (no MassTransit envelope, so any AMQP
/// client reads them) and waits for RabbitMQ's publisher confirms. It never gives up on a page: while
/// RabbitMQ is away it retries with back-off, which holds the subscription (and its progress) still.
/// </summary>
public sealed class RabbitFeedPublisher(
    IOptions<FeedsOptions> feedOptions, IConfiguration configuration, BrokerTelemetry telemetry, ILogger<RabbitFeedPublisher> logger) : IAsyncDisposable
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(2);
    private readonly FeedsOptions _options = feedOptions.Value;
    private readonly RabbitMqOptions _rabbit = configuration.GetSection(RabbitMqOptions.SectionName).Get<RabbitMqOptions>() ?? new RabbitMqOptions();
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IConnection? _connection;
    private IChannel? _channel;

    public async Task PublishUntilConfirmedAsync(IReadOnlyList<SealedEnvelope> envelopes, CancellationToken ct)
    {
        var routed = RoutedFeeds();
        var toSend = envelopes.Where(e => routed.Contains(e.Feed)).ToList();
        if (toSend.Count == 0)
        {
            return;
        }
        var backoff = new Backoff(TimeSpan.FromMilliseconds(50), MaxBackoff);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(_options.ConfirmTimeout);
                await PublishPageAsync(toSend, timeout.Token);
                telemetry.Published(toSend);
                if (attempt > 1)
                {
                    logger.LogInformation("Feed page of {Count} envelopes confirmed after {Attempts} attempts", toSend.Count, attempt);
                }
                return;
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                logger.LogWarning("Feed page of {Count} envelopes not confirmed (attempt {Attempt}): {Error}; retrying", toSend.Count, attempt, e.Message);
                await ResetAsync();
                await backoff.WaitAsync(ct);
            }
        }
    }

    private async Task PublishPageAsync(List<SealedEnvelope> envelopes, CancellationToken ct)
    {
        var channel = await ChannelAsync(ct);
        // Publish the whole page before awaiting: confirms arrive together instead of one round trip each.
        var confirms = new List<Task>(envelopes.Count);
        foreach (var envelope in envelopes)
        {
            var properties = new BasicProperties
            {
                MessageId = envelope.EventId.ToString(),
                ContentType = FeedTopology.ContentType,
                DeliveryMode = DeliveryModes.Persistent,
                Headers = new Dictionary<string, object?> { ["feed"] = envelope.Feed, ["feedseq"] = envelope.Seq },
            };
            confirms.Add(channel.BasicPublishAsync(_options.Exchange, FeedTopology.RoutingKey(envelope.Feed), mandatory: false, properties, envelope.Body, ct).AsTask());
        }
        await Task.WhenAll(confirms);
    }

    private HashSet<string> RoutedFeeds() => _options.Authorities.Values.Select(a => a.Feed).ToHashSet(StringComparer.Ordinal);

    private async Task<IChannel> ChannelAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            if (_channel is { IsOpen: true })
            {
                return _channel;
            }
            await CloseAsync();
            var factory = new ConnectionFactory
            {
                HostName = _rabbit.Host,
                Port = _rabbit.Port,
                VirtualHost = _rabbit.VirtualHost,
                UserName = _rabbit.Username,
                Password = _rabbit.Password,
                ClientProvidedName = "balticai-feeds",
                // Reconnection is ours: a recovered channel would restart delivery tags under our feet.
                AutomaticRecoveryEnabled = false,
                RequestedConnectionTimeout = TimeSpan.FromSeconds(5),
            };
            _connection = await factory.CreateConnectionAsync(ct);
            _channel = await _connection.CreateChannelAsync(new CreateChannelOptions(
                publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), ct);
            await FeedQueues.DeclareAsync(_channel, _options, ct);
            return _channel;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task ResetAsync()
    {
        await _gate.WaitAsync();
        try
        {
            await CloseAsync();
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task CloseAsync()
    {
        try
        {
            if (_channel is not null)
            {
                await _channel.DisposeAsync();
            }
            if (_connection is not null)
            {
                await _connection.DisposeAsync();
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogDebug("Closing the feed connection failed: {Error}", e.Message);
        }
        _channel = null;
        _connection = null;
    }

    public async ValueTask DisposeAsync()
    {
        await ResetAsync();
        _gate.Dispose();
    }
}
