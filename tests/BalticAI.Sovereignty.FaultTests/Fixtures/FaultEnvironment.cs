using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Npgsql;
using RabbitMQ.Client;

namespace BalticAI.Sovereignty.FaultTests.Fixtures;

public sealed record MadeDecision(Guid Id, IReadOnlyList<string> Feeds, DateTimeOffset CommittedAt = default);

public sealed record Inbox(string Authority, string Feed, ChildProcess Process);

/// <summary>
/// One test's world: broker processes sharing one database schema and key ring, inbox processes with
/// their own schemas, and a feed exchange and queues of its own on the private RabbitMQ node.
/// </summary>
public sealed class FaultEnvironment : IAsyncDisposable
{
    private readonly string _run = Guid.NewGuid().ToString("N")[..10];
    private readonly string _data = Path.Combine(Path.GetTempPath(), "balticai-fault", Guid.NewGuid().ToString("N"));
    private readonly List<ChildProcess> _processes = [];
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };

    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Action<string> _log;

    public FaultEnvironment(Action<string> log)
    {
        _log = log;
        Directory.CreateDirectory(_data);
        // As docker compose does it: the inbox's own binary creates the witness's key and writes its public key to the
        // file every broker of this world reads at start (Ledger:Witnesses:0:PublicKeyFile).
        WitnessKeyStep.Run(WitnessKeyPath, WitnessPublicKeyPath);
    }

    /// <summary>The PL data protection authority's witness, registered at every broker of this world.</summary>
    public const string WitnessName = "uodo.fault.test/witness";

    private const string UodoTenant = "5d1c6c1e-0a8f-4a36-9a5e-000000000105";

    private string WitnessKeyPath => Path.Combine(_data, "uodo-witness-key.json");

    private string WitnessPublicKeyPath => Path.Combine(_data, "uodo-witness.pub");

    /// <summary>Writes a step with the time since the environment was created to the test output.</summary>
    public void Log(string step) => _log($"{_clock.Elapsed.TotalSeconds,6:F1} s  {step}");

    public string BrokerSchema => "fault_" + _run;

    public string QueuePrefix => $"fault.{_run}.";

    public async Task<ChildProcess> StartBrokerAsync(string name = "broker")
    {
        var broker = ChildProcess.Start(Paths.BrokerDll, Paths.BrokerContentRoot, new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            // The application name tells which node holds the hot/cold lock (see ActiveNodeAsync).
            ["ConnectionStrings__Postgres"] = $"{Paths.Postgres};Application Name=fault-{_run}-{name}",
            ["Marten__Schema"] = BrokerSchema,
            ["Marten__ApplySchemaOnStartup"] = "true",
            // No policy bundle to record: the ledger then holds exactly the test's decisions, which is
            // what every inbox is checked against. The fault decisions do not evaluate policies.
            ["Policy__BundleDirectory"] = Path.Combine(Path.GetTempPath(), "balticai-fault-no-bundle"),
            ["RabbitMq__Port"] = FaultRabbitMq.Port.ToString(),
            ["Feeds__Exchange"] = QueuePrefix + "feeds",
            ["Feeds__QueuePrefix"] = QueuePrefix,
            ["Feeds__DaemonMode"] = "HotCold",
            ["Identity__DevelopmentIssuer__KeyPath"] = Path.Combine(_data, "dev-issuer-key.json"),
            ["Identity__PseudonymKeyPath"] = Path.Combine(_data, "pseudonym-key"),
            ["Signing__KeyDirectory"] = Path.Combine(_data, "keys"),
            ["Ledger__CheckpointIntervalSeconds"] = "1",
            ["Ledger__Witnesses__0__Name"] = WitnessName,
            ["Ledger__Witnesses__0__PublicKeyFile"] = WitnessPublicKeyPath,
            ["Logging__Console__FormatterName"] = "simple",
        }, Path.Combine(_data, name + ".log"));
        _processes.Add(broker);
        await broker.WaitUntilReadyAsync("/.well-known/jwks.json", TimeSpan.FromSeconds(90));
        Log($"{name} ready");
        return broker;
    }

    public async Task<Inbox> StartInboxAsync(string authority, string feed, ChildProcess broker, bool witness = false)
    {
        var settings = new Dictionary<string, string>
        {
            ["ConnectionStrings__Postgres"] = Paths.Postgres,
            ["RabbitMq__Port"] = FaultRabbitMq.Port.ToString(),
            ["Inbox__Authority"] = authority,
            ["Inbox__Feed"] = feed,
            ["Inbox__Broker"] = broker.Url,
            ["Inbox__Exchange"] = QueuePrefix + "feeds",
            ["Inbox__QueuePrefix"] = QueuePrefix,
            ["Inbox__Schema"] = InboxSchema(authority),
            ["Logging__Console__FormatterName"] = "simple",
        };
        if (witness)
        {
            settings["Inbox__Witness__Enabled"] = "true";
            settings["Inbox__Witness__Name"] = WitnessName;
            settings["Inbox__Witness__KeyFile"] = WitnessKeyPath;
            settings["Inbox__Witness__DevelopmentIssuerKeyFile"] = Path.Combine(_data, "dev-issuer-key.json");
            settings["Inbox__Witness__TenantId"] = UodoTenant;
            settings["Inbox__Witness__IntervalSeconds"] = "0.5";
            // Small enough that a few hundred entries take several pages and passes, some stopping short of the cosigned
            // checkpoint, and that envelopes arriving late reach both the kept entries and the proofs one by one.
            settings["Inbox__Witness__AuditPageSize"] = "10";
            settings["Inbox__Witness__AuditEntriesPerRound"] = "40";
            settings["Inbox__Witness__AuditedEntriesKept"] = "40";
        }
        var process = ChildProcess.Start(Paths.InboxDll, Path.GetDirectoryName(Paths.InboxDll)!, settings, Path.Combine(_data, authority + ".log"));
        _processes.Add(process);
        await process.WaitUntilReadyAsync("/inbox/status", TimeSpan.FromSeconds(60));
        var inbox = new Inbox(authority, feed, process);
        // A ceiling, not a speed check: MassTransit backs off between connection attempts, so an inbox that
        // started while RabbitMQ was still settling can take well over 30 s to connect on a loaded 2-core host.
        await WaitForAsync(inbox, s => s["connected"]!.GetValue<bool>(), TimeSpan.FromSeconds(120));
        Log($"inbox {authority} consuming");
        return inbox;
    }

    public async Task<List<MadeDecision>> MakeDecisionsAsync(ChildProcess broker, int count)
    {
        var response = await _http.PostAsync($"{broker.Url}/fault/decisions?count={count}", null);
        response.EnsureSuccessStatusCode();
        var made = (await response.Content.ReadFromJsonAsync<List<MadeDecision>>())!;
        Log($"{made.Count} decisions made");
        return made;
    }

    public async Task<JsonNode> StatusAsync(Inbox inbox) =>
        JsonNode.Parse(await _http.GetStringAsync(inbox.Process.Url + "/inbox/status"))!;

    public async Task<JsonNode> WitnessStatusAsync(Inbox inbox) =>
        JsonNode.Parse(await _http.GetStringAsync(inbox.Process.Url + "/inbox/witness"))!;

    /// <summary>The inbox's `/health/integrity`: its status code and body.</summary>
    public async Task<(System.Net.HttpStatusCode Status, JsonNode Body)> IntegrityAsync(Inbox inbox)
    {
        using var response = await _http.GetAsync(inbox.Process.Url + "/health/integrity");
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    /// <summary>The size of the broker's latest signed checkpoint, 0 before the first.</summary>
    public async Task<long> LatestCheckpointSizeAsync(ChildProcess broker)
    {
        using var response = await GetAnonymousAsync(broker.Url + "/ledger/checkpoints/latest");
        return response.StatusCode == System.Net.HttpStatusCode.NotFound
            ? 0
            : (await response.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonObject>())!["size"]!.GetValue<long>();
    }

    /// <summary>Waits until the broker's tree holds <paramref name="eventId"/> (it trails commits); returns its entry's index.</summary>
    public async Task<long> WaitForEntryAsync(ChildProcess broker, Guid eventId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            using var response = await GetAnonymousAsync($"{broker.Url}/ledger/entries/by-event/{eventId}");
            if (response.StatusCode != System.Net.HttpStatusCode.NotFound || DateTime.UtcNow > deadline)
            {
                return (await response.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonObject>())!["entry"]!["index"]!.GetValue<long>();
            }
            await Task.Delay(100);
        }
    }

    public async Task<JsonObject> CheckpointAsync(ChildProcess broker, long size)
    {
        using var response = await GetAnonymousAsync($"{broker.Url}/ledger/checkpoints/{size}");
        return (await response.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonObject>())!;
    }

    /// <summary>
    /// An anonymous read of the broker, sent again after the Retry-After of a 429: anonymous callers share one budget per
    /// address, and a witnessing inbox on the same loopback address spends it in bursts (pages of the log, and two proof requests for each
    /// envelope that arrived after its audit).
    /// Gives up after 30 seconds of refusals, answering the last one.
    /// </summary>
    private async Task<HttpResponseMessage> GetAnonymousAsync(string url)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var response = await _http.GetAsync(url);
            if (response.StatusCode != System.Net.HttpStatusCode.TooManyRequests || DateTime.UtcNow > deadline)
            {
                return response;
            }

            var wait = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1);
            response.Dispose();
            Log($"429 from {url}; again in {wait.TotalSeconds:0.#} s");
            await Task.Delay(wait);
        }
    }

    public async Task<long> CountAsync(Inbox inbox) => (await StatusAsync(inbox))["envelopes"]!.GetValue<long>();

    public async Task<JsonNode> WaitForAsync(Inbox inbox, Func<JsonNode, bool> condition, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        JsonNode? status = null;
        while (clock.Elapsed < timeout)
        {
            try
            {
                status = await StatusAsync(inbox);
                if (condition(status))
                {
                    return status;
                }
            }
            catch (HttpRequestException)
            {
                // restarting
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"{inbox.Authority} did not reach the expected state in {timeout}; last status {status?.ToJsonString()}");
    }

    /// <summary>
    /// Every decision of the inbox's feed is there exactly once, the sequence runs 1..n without a gap,
    /// and nothing failed verification (signature, sequence and chain are checked by the inbox).
    /// </summary>
    public async Task AssertCompleteAsync(Inbox inbox, IReadOnlyList<MadeDecision> decisions, TimeSpan timeout, int expectedFailures = 0)
    {
        var expected = decisions.Where(d => d.Feeds.Contains(inbox.Feed)).Select(d => d.Id.ToString()).ToHashSet();
        var status = await WaitForAsync(inbox, s => s["envelopes"]!.GetValue<long>() >= expected.Count, timeout);
        status["envelopes"]!.GetValue<long>().ShouldBe(expected.Count, inbox.Authority);
        status["lastSequence"]!.GetValue<long>().ShouldBe(expected.Count, inbox.Authority);
        status["contiguousThrough"]!.GetValue<long>().ShouldBe(expected.Count, inbox.Authority);
        status["gaps"]!.AsArray().ShouldBeEmpty(inbox.Authority);
        status["verificationFailures"]!.GetValue<long>().ShouldBe(expectedFailures, inbox.Authority);
        var received = new List<string>();
        long after = 0;
        while (true)
        {
            var page = JsonNode.Parse(await _http.GetStringAsync($"{inbox.Process.Url}/inbox?after={after}&limit=1000"))!;
            var items = page["items"]!.AsArray();
            if (items.Count == 0)
            {
                break;
            }
            received.AddRange(items.Select(i => i!["id"]!.GetValue<string>()));
            after = page["next"]!.GetValue<long>();
        }
        received.Count.ShouldBe(expected.Count, inbox.Authority);
        received.ToHashSet().SetEquals(expected).ShouldBeTrue(inbox.Authority);
        Log($"inbox {inbox.Authority} complete: {expected.Count} envelopes, no gap, {expectedFailures} verification failures");
    }

    /// <summary>Puts a message on the feed exchange of the private node, as an attacker on the network could.</summary>
    public async Task PublishRawAsync(string feed, byte[] body)
    {
        var rabbit = new ConnectionFactory { HostName = "127.0.0.1", Port = FaultRabbitMq.Port };
        await using var connection = await rabbit.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(true, true));
        await channel.BasicPublishAsync(QueuePrefix + "feeds", feed, body);
    }

    /// <summary>The stored envelope with the highest sequence, as the inbox serves it.</summary>
    public async Task<JsonObject> LastEnvelopeAsync(Inbox inbox)
    {
        var last = (await StatusAsync(inbox))["lastSequence"]!.GetValue<long>();
        var page = JsonNode.Parse(await _http.GetStringAsync($"{inbox.Process.Url}/inbox?after={last - 1}&limit=1"))!;
        return page["items"]![0]!.AsObject();
    }

    /// <summary>
    /// Every decision in the ledger with the feeds it belongs to, worked out here independently of the
    /// broker's code: countries of the event and of the acting organisation, and always EU.
    /// </summary>
    public async Task<List<MadeDecision>> CommittedDecisionsAsync()
    {
        await using var connection = new NpgsqlConnection(Paths.Postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"select id, data::text, headers::text from {BrokerSchema}.mt_events", connection);
        var decisions = new List<MadeDecision>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var data = JsonNode.Parse(reader.GetString(1))!;
            var countries = (data["countries"] ?? data["Countries"])!.AsArray().Select(c => c!.GetValue<string>()).ToList();
            countries.Add(JsonNode.Parse(reader.GetString(2))!["actor_country"]!.GetValue<string>());
            var feeds = new[] { "PL", "EE", "LT", "LV" }.Where(countries.Contains).Append("EU").ToList();
            decisions.Add(new MadeDecision(reader.GetGuid(0), feeds));
        }
        return decisions;
    }

    /// <summary>The broker node whose connection holds the async daemon's advisory lock, once one does.</summary>
    public async Task<string> ActiveNodeAsync(TimeSpan timeout)
    {
        await using var connection = new NpgsqlConnection(Paths.Postgres);
        await connection.OpenAsync();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            await using var command = new NpgsqlCommand(
                "select distinct a.application_name from pg_locks l join pg_stat_activity a on a.pid = l.pid " +
                "where l.locktype = 'advisory' and l.granted and a.application_name like @prefix", connection);
            command.Parameters.AddWithValue("prefix", $"fault-{_run}-%");
            var holders = new List<string>();
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    holders.Add(reader.GetString(0));
                }
            }
            if (holders.Count == 1)
            {
                return holders[0][$"fault-{_run}-".Length..];
            }
            await Task.Delay(200);
        }
        throw new TimeoutException("no single broker node holds the daemon lock");
    }

    private string InboxSchema(string authority) => $"fault_{_run}_inbox_{authority.Replace('-', '_')}";

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }
        _http.Dispose();
        await using var connection = new NpgsqlConnection(Paths.Postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            $"select nspname from pg_namespace where nspname like 'fault\\_{_run}%'", connection);
        var schemas = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                schemas.Add(reader.GetString(0));
            }
        }
        foreach (var schema in schemas)
        {
            await using var drop = new NpgsqlCommand($"drop schema if exists {schema} cascade", connection);
            await drop.ExecuteNonQueryAsync();
        }
        if (Environment.GetEnvironmentVariable("BALTICAI_KEEP_FAULT_LOGS") is null)
        {
            Directory.Delete(_data, recursive: true);
        }
    }
}
