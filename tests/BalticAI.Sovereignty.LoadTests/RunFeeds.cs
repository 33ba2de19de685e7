using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Contracts.Feeds;
using RabbitMQ.Client;

namespace BalticAI.Sovereignty.LoadTests;

/// <summary>
/// Each broker of a run publishes its regulator feeds to an exchange and queues of its own, deleted when the
/// broker stops. Nobody consumes them during a run; shared queues would keep every earlier run's envelopes
/// (hundreds of thousands after a few runs) and make RabbitMQ's share of the machine grow from run to run.
/// </summary>
public sealed class RunFeeds(string name, IReadOnlyList<string> authorities)
{
    public string Exchange => $"balticai.load.{name}";

    public string QueuePrefix => $"balticai.load.{name}.";

    public IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Feeds__Exchange"] = Exchange,
        ["Feeds__QueuePrefix"] = QueuePrefix,
    };

    /// <summary>The authorities whose queues the broker declares: those of its shipped configuration.</summary>
    public static RunFeeds For(string repo, string name)
    {
        var settings = JsonNode.Parse(File.ReadAllText(Path.Combine(repo, "src", "BalticAI.Sovereignty.Api", "appsettings.json")))!;
        var authorities = settings["Feeds"]?["Authorities"]?.AsObject().Select(a => a.Key).ToList() ?? [];
        return new RunFeeds(name, authorities);
    }

    public async Task DeleteAsync()
    {
        var factory = new ConnectionFactory { HostName = "127.0.0.1", Port = 5672 };
        try
        {
            await using var connection = await factory.CreateConnectionAsync();
            await using var channel = await connection.CreateChannelAsync();
            foreach (var authority in authorities)
            {
                await channel.QueueDeleteAsync(FeedTopology.QueueFor(authority, QueuePrefix));
            }
            await channel.ExchangeDeleteAsync(Exchange);
        }
        catch (RabbitMQ.Client.Exceptions.BrokerUnreachableException)
        {
            // Nothing was declared on a RabbitMQ that cannot be reached; a failed start keeps its own error.
        }
    }
}
