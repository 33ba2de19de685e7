using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.FaultTests.Fixtures;
using Npgsql;
using RabbitMQ.Client;

namespace BalticAI.Sovereignty.FeedBenchmarks;

public sealed record Made(Guid Id, DateTimeOffset CommittedAt);

/// <summary>
/// A broker process (solo daemon) with the configured authorities' queues, and the EU AI Office's
/// inbox (the EU feed carries every event: the busiest queue), on the shared services under names of
/// their own; queues and schemas are dropped afterwards.
/// </summary>
public sealed class FeedLoad : IAsyncDisposable
{
    private readonly string _run = Guid.NewGuid().ToString("N")[..10];
    private readonly string _data = Path.Combine(Path.GetTempPath(), "balticai-bench", Guid.NewGuid().ToString("N"));
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromMinutes(10) };
    private ChildProcess? _broker;
    private ChildProcess? _inbox;

    public string InboxSchema => $"bench_{_run}_inbox";

    public async Task StartAsync(int rabbitPort)
    {
        Directory.CreateDirectory(_data);
        _rabbitPort = rabbitPort;
        var prefix = $"bench.{_run}.";
        _broker = ChildProcess.Start(Paths.BrokerDll, Paths.BrokerContentRoot, new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["ConnectionStrings__Postgres"] = Paths.Postgres + ";Maximum Pool Size=100",
            ["Marten__Schema"] = $"bench_{_run}",
            ["Marten__ApplySchemaOnStartup"] = "true",
            ["RabbitMq__Port"] = rabbitPort.ToString(),
            ["Feeds__Exchange"] = prefix + "feeds",
            ["Feeds__QueuePrefix"] = prefix,
            ["Feeds__DaemonMode"] = "Solo",
            ["Identity__DevelopmentIssuer__KeyPath"] = Path.Combine(_data, "dev-issuer-key.json"),
            ["Identity__PseudonymKeyPath"] = Path.Combine(_data, "pseudonym-key"),
            ["Signing__KeyDirectory"] = Path.Combine(_data, "keys"),
            ["Logging__LogLevel__Default"] = "Warning",
        }, Path.Combine(_data, "broker.log"));
        await _broker.WaitUntilReadyAsync("/.well-known/jwks.json", TimeSpan.FromSeconds(90));
        _inbox = ChildProcess.Start(Paths.InboxDll, Path.GetDirectoryName(Paths.InboxDll)!, new Dictionary<string, string>
        {
            ["ConnectionStrings__Postgres"] = Paths.Postgres,
            ["RabbitMq__Port"] = rabbitPort.ToString(),
            ["Inbox__Authority"] = "eu-ai-office",
            ["Inbox__Feed"] = "EU",
            ["Inbox__Broker"] = _broker.Url,
            ["Inbox__Exchange"] = prefix + "feeds",
            ["Inbox__QueuePrefix"] = prefix,
            ["Inbox__Schema"] = InboxSchema,
            ["Logging__LogLevel__Default"] = "Warning",
        }, Path.Combine(_data, "inbox.log"));
        await _inbox.WaitUntilReadyAsync("/inbox/status", TimeSpan.FromSeconds(60));
    }

    /// <summary>Makes <paramref name="count"/> decisions at <paramref name="rate"/> per second and waits for them in the inbox.</summary>
    public async Task<LagStats> RunAsync(double rate, int count)
    {
        var before = await InboxCountAsync();
        var clock = Stopwatch.StartNew();
        var response = await _http.PostAsync($"{_broker!.Url}/fault/decisions?count={count}&rate={rate.ToString(System.Globalization.CultureInfo.InvariantCulture)}", null);
        response.EnsureSuccessStatusCode();
        var made = (await response.Content.ReadFromJsonAsync<List<Made>>())!;
        var achieved = count / clock.Elapsed.TotalSeconds;
        var deadline = DateTime.UtcNow.AddMinutes(5);
        while (await InboxCountAsync() < before + count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }
        var received = await ReceivedAtAsync(made.Select(m => m.Id.ToString()).ToArray());
        var samples = made.Where(m => received.ContainsKey(m.Id.ToString()))
            .Select(m => (m.CommittedAt, (received[m.Id.ToString()] - m.CommittedAt).TotalMilliseconds)).ToList();
        if (samples.Count < count)
        {
            Console.WriteLine($"  warning: only {samples.Count} of {count} reached the inbox within 5 minutes");
        }
        return LagStats.From(rate, achieved, samples);
    }

    private async Task<long> InboxCountAsync()
    {
        var status = JsonNode.Parse(await _http.GetStringAsync(_inbox!.Url + "/inbox/status"))!;
        return status["envelopes"]!.GetValue<long>();
    }

    private async Task<Dictionary<string, DateTimeOffset>> ReceivedAtAsync(string[] ids)
    {
        await using var connection = new NpgsqlConnection(Paths.Postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"select id, received_at from {InboxSchema}.envelopes where id = any(@ids)", connection);
        command.Parameters.AddWithValue("ids", ids);
        var received = new Dictionary<string, DateTimeOffset>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            received[reader.GetString(0)] = reader.GetFieldValue<DateTimeOffset>(1);
        }
        return received;
    }

    /// <summary>The authorities of src/BalticAI.Sovereignty.Api/appsettings.json, whose queues the broker declared.</summary>
    private static readonly string[] Authorities = ["pl-uodo", "pl-kribsi", "ee-aki", "ee-ttja", "lt-vdai", "lt-rrt", "lv-dvi", "lv-ptac", "eu-ai-office"];

    private int _rabbitPort;

    public async ValueTask DisposeAsync()
    {
        if (_inbox is not null)
        {
            await _inbox.DisposeAsync();
        }
        if (_broker is not null)
        {
            await _broker.DisposeAsync();
        }
        await using (var connection = new NpgsqlConnection(Paths.Postgres))
        {
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"drop schema if exists bench_{_run} cascade; drop schema if exists {InboxSchema} cascade", connection);
            await drop.ExecuteNonQueryAsync();
        }
        await using (var rabbit = await new ConnectionFactory { HostName = "127.0.0.1", Port = _rabbitPort }.CreateConnectionAsync())
        await using (var channel = await rabbit.CreateChannelAsync())
        {
            foreach (var authority in Authorities)
            {
                await channel.QueueDeleteAsync($"bench.{_run}.{authority}");
            }
            await channel.ExchangeDeleteAsync($"bench.{_run}.feeds");
        }
        _http.Dispose();
        Directory.Delete(_data, recursive: true);
    }
}
