using BalticAI.Sovereignty.Api.Feeds.Outbox;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using BalticAI.Sovereignty.Contracts.Feeds;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace BalticAI.Sovereignty.Api.Tests.Feeds;

/// <summary>The sealed feed rows of ledger events found by type and a member of their stored body.</summary>
public static class FeedRows
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    /// <summary>Waits for the events of <paramref name="type"/> whose <paramref name="member"/> is <paramref name="value"/> to be sealed; returns their feeds.</summary>
    public static async Task<List<string>> FeedsOfAsync(FeedBrokerFactory broker, string type, string member, string value)
    {
        var log = broker.Services.GetRequiredService<FeedLog>();
        var deadline = DateTime.UtcNow + Wait;
        while (true)
        {
            var ids = await EventIdsAsync(broker, type, member, value);
            var sealedOn = await log.FindAsync(ids, CancellationToken.None);
            if (ids.Length > 0 && ids.All(id => sealedOn.ContainsKey((FeedNames.EuropeanUnion, id))))
            {
                return sealedOn.Keys.Select(k => k.Feed).Distinct().ToList();
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"no {type} event with {member} {value} was sealed within {Wait}");
            }
            await Task.Delay(100);
        }
    }

    public static async Task<Guid[]> EventIdsAsync(FeedBrokerFactory broker, string type, string member, string value)
    {
        await using var connection = new NpgsqlConnection(TestServices.PostgresConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"select id from {broker.Schema}.mt_events where type = @type and data ->> @member = @value", connection);
        command.Parameters.AddWithValue("type", type);
        command.Parameters.AddWithValue("member", member);
        command.Parameters.AddWithValue("value", value);
        var ids = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetGuid(0));
        }
        return [.. ids];
    }
}
