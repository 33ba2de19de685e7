using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.RegulatorInbox.Reading;
using BalticAI.Sovereignty.RegulatorInbox.Verification;
using BalticAI.Sovereignty.Security;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using RabbitMQ.Client;

namespace BalticAI.Sovereignty.RegulatorInbox.Tests.Fixtures;

/// <summary>
/// The PL data protection authority's inbox against the real PostgreSQL (own schema) and RabbitMQ
/// (own exchange and queue, deleted afterwards), trusting the keys of a test broker key ring.
/// </summary>
public sealed class InboxFactory : WebApplicationFactory<Program>
{
    private readonly string _run = Guid.NewGuid().ToString("N")[..12];
    private readonly string _keyDirectory = Path.Combine(Path.GetTempPath(), "balticai-inbox-tests", Guid.NewGuid().ToString("N"));

    private readonly (string Key, string Value)[] _settings;

    /// <param name="settings">More configuration, e.g. `Inbox:Witness:*` (`{keys}` in a value is this inbox's key directory).</param>
    public InboxFactory(params (string Key, string Value)[] settings)
    {
        BrokerKeys = new LocalKeyRing(_keyDirectory, TimeProvider.System);
        Feed = new TestFeed(BrokerKeys, "PL");
        _settings = settings;
    }

    public LocalKeyRing BrokerKeys { get; }

    private readonly ConcurrentDictionary<string, DateTimeOffset> _revoked = new();

    /// <summary>As the broker does after a revocation: the key leaves the JWKS and is listed, with its JWK, as revoked.</summary>
    public void Revoke(string kid, DateTimeOffset revokedAt) => _revoked[kid] = revokedAt;

    public TestFeed Feed { get; }

    public string Exchange => $"test.{_run}.feeds";

    public string Queue => $"test.{_run}.pl-uodo";

    public string Schema => "inbox_t_" + _run;

    public static string Postgres => Environment.GetEnvironmentVariable("BALTICAI_TEST_POSTGRES")
        ?? "Host=127.0.0.1;Port=5432;Database=balticai;Username=balticai;Password=balticai;Timeout=5;Command Timeout=30";

    public static IConnectionFactory Rabbit => new ConnectionFactory
    {
        HostName = Environment.GetEnvironmentVariable("BALTICAI_TEST_RABBITMQ_HOST") ?? "127.0.0.1",
        Port = int.Parse(Environment.GetEnvironmentVariable("BALTICAI_TEST_RABBITMQ_PORT") ?? "5672"),
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ConnectionStrings:Postgres", Postgres);
        builder.UseSetting("RabbitMq:Host", ((ConnectionFactory)Rabbit).HostName);
        builder.UseSetting("RabbitMq:Port", ((ConnectionFactory)Rabbit).Port.ToString());
        builder.UseSetting("Inbox:Authority", "pl-uodo");
        builder.UseSetting("Inbox:Feed", "PL");
        builder.UseSetting("Inbox:Exchange", Exchange);
        builder.UseSetting("Inbox:QueuePrefix", $"test.{_run}.");
        builder.UseSetting("Inbox:Schema", Schema);
        builder.UseSetting("Inbox:Broker", "http://broker.invalid");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value.Replace("{keys}", _keyDirectory, StringComparison.Ordinal));
        }
        builder.ConfigureTestServices(services => services.AddSingleton<IBrokerKeys>(new StaticKeys(BrokerKeys, _revoked)));
    }

    /// <summary>Sends raw bodies to the feed exchange once the inbox consumes its queue.</summary>
    public async Task PublishAsync(params byte[][] bodies)
    {
        await WaitForAsync(s => s.Connected);
        await using var connection = await Rabbit.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(true, true));
        foreach (var body in bodies)
        {
            await channel.BasicPublishAsync(Exchange, "PL", body);
        }
    }

    /// <summary>Publishes an envelope of this feed signed with a key the broker never had, as a forger would.</summary>
    public async Task PublishForgedAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), "balticai-forger", Guid.NewGuid().ToString("N"));
        using (var forger = new LocalKeyRing(directory, TimeProvider.System))
        {
            await PublishAsync(await new TestFeed(forger, "PL").NextAsync("allow"));
        }

        Directory.Delete(directory, recursive: true);
    }

    /// <summary>A GET of the inbox's own routes: its status, and its JSON body (an empty object for an empty body).</summary>
    public async Task<(HttpStatusCode Status, JsonObject Body)> GetJsonAsync(string path)
    {
        using var response = await CreateClient().GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? [] : JsonNode.Parse(text)!.AsObject());
    }

    public async Task<InboxStatus> StatusAsync() =>
        (await CreateClient().GetFromJsonAsync<InboxStatus>("/inbox/status"))!;

    public async Task<JsonArray> EnvelopesAsync() =>
        (await CreateClient().GetFromJsonAsync<JsonObject>("/inbox?limit=1000"))!["items"]!.AsArray();

    /// <summary>Polls the status until <paramref name="condition"/> holds; bounded at 20 seconds.</summary>
    public async Task<InboxStatus> WaitForAsync(Func<InboxStatus, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var status = await StatusAsync();
            if (condition(status))
            {
                return status;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("inbox status never matched; last: " + System.Text.Json.JsonSerializer.Serialize(status));
            }
            await Task.Delay(50);
        }
    }

    /// <summary>Runs SQL against the inbox's database, as its operator could; returns the first column of the rows it returns.</summary>
    public async Task<List<string>> ExecuteAsync(string sql)
    {
        await using var db = new NpgsqlConnection(Postgres);
        await db.OpenAsync();
        await using var command = new NpgsqlCommand(sql, db);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }
        return rows;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await using (var connection = await Rabbit.CreateConnectionAsync())
        await using (var channel = await connection.CreateChannelAsync())
        {
            await channel.QueueDeleteAsync(Queue);
            await channel.ExchangeDeleteAsync(Exchange);
        }
        await using (var db = new NpgsqlConnection(Postgres))
        {
            await db.OpenAsync();
            await using var drop = new NpgsqlCommand($"drop schema if exists {Schema} cascade", db);
            await drop.ExecuteNonQueryAsync();
        }
        BrokerKeys.Dispose();
        Directory.Delete(_keyDirectory, recursive: true);
        GC.SuppressFinalize(this);
    }

    private sealed class StaticKeys(ISigner signer, ConcurrentDictionary<string, DateTimeOffset> revoked) : IBrokerKeys
    {
        public async Task<BrokerKeySet> GetAsync(bool refresh, CancellationToken ct)
        {
            var all = await signer.GetVerificationKeysAsync(ct);
            bool IsRevoked(JsonObject key) => revoked.ContainsKey(key["kid"]!.GetValue<string>());
            return new BrokerKeySet(
                all.Where(k => !IsRevoked(k)).ToList(),
                all.Where(IsRevoked).Select(k => new RevokedBrokerKey(k["kid"]!.GetValue<string>(), revoked[k["kid"]!.GetValue<string>()], k)).ToList());
        }
    }
}
