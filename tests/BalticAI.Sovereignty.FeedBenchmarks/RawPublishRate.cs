using System.Diagnostics;
using RabbitMQ.Client;

namespace BalticAI.Sovereignty.FeedBenchmarks;

/// <summary>RabbitMQ's own ceiling on this machine: 1 KB persistent messages to a quorum queue with confirms.</summary>
public static class RawPublishRate
{
    public static async Task<double> MeasureAsync(ConnectionFactory rabbit, int messages, int inFlight)
    {
        var queue = "bench.raw." + Guid.NewGuid().ToString("N")[..8];
        await using var connection = await rabbit.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(true, true, outstandingPublisherConfirmationsRateLimiter: null));
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false,
            new Dictionary<string, object?> { ["x-queue-type"] = "quorum" });
        var body = new byte[1024];
        var properties = new BasicProperties { DeliveryMode = DeliveryModes.Persistent };
        var clock = Stopwatch.StartNew();
        for (var sent = 0; sent < messages; sent += inFlight)
        {
            var window = Enumerable.Range(0, Math.Min(inFlight, messages - sent))
                .Select(_ => channel.BasicPublishAsync("", queue, false, properties, body).AsTask());
            await Task.WhenAll(window);
        }
        var rate = messages / clock.Elapsed.TotalSeconds;
        await channel.QueueDeleteAsync(queue);
        return rate;
    }
}
