using System.Diagnostics;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace BalticAI.Sovereignty.Api.Tests.Feeds;

/// <summary>Reads raw message bodies from a feed queue, as a non-.NET authority would.</summary>
public static class FeedQueueReader
{
    public static async Task<List<byte[]>> ReadAsync(IConnectionFactory rabbit, string queue, int expected, TimeSpan timeout)
    {
        await using var connection = await rabbit.CreateConnectionAsync();
        var channel = await connection.CreateChannelAsync();
        var bodies = new List<byte[]>();
        var clock = Stopwatch.StartNew();
        try
        {
            while (bodies.Count < expected && clock.Elapsed < timeout)
            {
                BasicGetResult? message;
                try
                {
                    message = await channel.BasicGetAsync(queue, autoAck: true);
                }
                catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == 404)
                {
                    // The broker declares the queues when it first publishes; a test may look sooner.
                    await channel.DisposeAsync();
                    channel = await connection.CreateChannelAsync();
                    message = null;
                }
                if (message is null)
                {
                    await Task.Delay(20);
                    continue;
                }
                bodies.Add(message.Body.ToArray());
            }
            return bodies;
        }
        finally
        {
            await channel.DisposeAsync();
        }
    }

    /// <summary>Waits briefly and returns whatever else is there (expected: nothing).</summary>
    public static async Task<List<byte[]>> RemainingAsync(IConnectionFactory rabbit, string queue) =>
        await ReadAsync(rabbit, queue, int.MaxValue, TimeSpan.FromMilliseconds(500));
}
