using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Ledger;
using BalticAI.Sovereignty.Api.Ledger.Tree;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using BalticAI.Sovereignty.Transparency.Export;
using BalticAI.Sovereignty.Transparency.Verification;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace BalticAI.Sovereignty.Api.Tests.Ledger;

/// <summary>An event type of the tests' own: the tree covers any event in the store.</summary>
public sealed record LedgerTestEvent(string Name, int Number);

/// <summary>Ledger test classes run one after another: each starts a broker, and parallel starts time out on a loaded machine.</summary>
[CollectionDefinition(Name)]
public sealed class LedgerCollection
{
    public const string Name = "ledger";
}

/// <summary>
/// A broker that checkpoints quickly and trusts one witness whose private key the tests hold. As a class fixture it is
/// handed over only once the broker recorded its first bundle: that activation is a ledger event appended by a
/// background pass, and a test that counts entries or waits for an idle ledger must not see it land among its own.
/// </summary>
public class LedgerBroker : BrokerFactory, IAsyncLifetime
{
    public const string Origin = "test.balticai.eu/ledger";
    public const string WitnessName = "uodo.test/witness";

    public LedgerBroker()
    {
    }

    protected LedgerBroker(string schema)
        : base(schema)
    {
    }

    public ECDsa WitnessKey { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    protected override IDictionary<string, string?> Settings
    {
        get
        {
            var settings = base.Settings;
            settings["Ledger:Origin"] = Origin;
            settings["Ledger:CheckpointEveryEntries"] = "1000";
            settings["Ledger:CheckpointIntervalSeconds"] = "0.2";
            settings["Ledger:CheckpointPollSeconds"] = "0.1";
            settings["Ledger:Witnesses:0:Name"] = WitnessName;
            settings["Ledger:Witnesses:0:PublicKey"] = Convert.ToBase64String(WitnessKey.ExportSubjectPublicKeyInfo());
            return settings;
        }
    }

    /// <summary>Appends <paramref name="count"/> events to a new stream, stamped with <paramref name="actor"/> if given; returns their event ids in order.</summary>
    public async Task<List<Guid>> AppendAsync(int count, string name = "event", Actor? actor = null)
    {
        await using var session = Services.GetRequiredService<IDocumentStore>().LightweightSession();
        if (actor is not null)
        {
            session.RecordActor(actor);
        }
        var action = session.Events.StartStream(Guid.NewGuid(), Enumerable.Range(0, count).Select(i => (object)new LedgerTestEvent(name, i)).ToArray());
        await session.SaveChangesAsync();
        return action.Events.Select(e => e.Id).ToList();
    }

    public async Task InitializeAsync() => await Decisions.DecisionWorld.WaitForShippedBundleAsync(this);

    Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;

    public LedgerStore Ledger => Services.GetRequiredService<LedgerStore>();

    /// <summary>
    /// Waits until a signed checkpoint covers <paramref name="eventId"/> (and so every event committed
    /// before it); returns that checkpoint. Tests of one class share a broker, so sizes alone would race.
    /// </summary>
    public async Task<JsonObject> WaitForCheckpointAsync(Guid eventId)
    {
        var client = CreateClient();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            var response = await client.GetAsync($"/ledger/entries/by-event/{eventId}");
            if (response.IsSuccessStatusCode && (await response.Content.ReadFromJsonAsync<JsonObject>())?["checkpoint"] is JsonObject checkpoint)
            {
                return checkpoint;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"no checkpoint covers event {eventId} within 30 s (tree has {await Ledger.ReadSizeAsync(CancellationToken.None)})");
    }

    /// <summary>Exports over the API as an auditor and verifies the file, as `balticai ledger export/verify` do.</summary>
    public async Task<VerificationReport> ExportAndVerifyAsync()
    {
        using var file = new MemoryStream();
        await LedgerExporter.ExportAsync(ClientFor(TestTenants.EuAiOffice, Roles.Auditor), file, null, CancellationToken.None);
        var verifier = new LedgerVerifier();
        LedgerExportReader.Read(new MemoryStream(file.ToArray()), verifier);
        return verifier.Finish();
    }

    /// <summary>Runs SQL straight against the fixture's schema, as someone with database access could.</summary>
    public async Task ExecuteAsync(string sql)
    {
        await using var command = Ledger.DataSource.CreateCommand(sql.Replace("{schema}", Schema));
        await command.ExecuteNonQueryAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        WitnessKey.Dispose();
        await base.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
