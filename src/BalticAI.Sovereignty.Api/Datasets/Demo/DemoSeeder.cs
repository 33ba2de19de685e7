using BalticAI.Sovereignty.Api.Infrastructure.Persistence;
using System.Security.Cryptography;
using System.Text;
using BalticAI.Sovereignty.Api.Datasets.PublishingVersion;
using BalticAI.Sovereignty.Api.Datasets.ReferenceData;
using BalticAI.Sovereignty.Api.Datasets.RegisteringDataset;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Infrastructure.Validation;
using BalticAI.Sovereignty.Api.Ledger;
using Marten;

namespace BalticAI.Sovereignty.Api.Datasets.Demo;

/// <summary>
/// Registers the demo datasets (<see cref="DemoDatasets"/>) at start-up when `Datasets:SeedDemo` is
/// true. Idempotent: a dataset whose owner already has one with the same title is left alone. Goes
/// through the same content rules and decisions as the API, acting as each owner organisation.
/// </summary>
public sealed class DemoSeeder(
    IDocumentStore store, TenantMap tenants, ActorPseudonymiser pseudonymiser, DatasetReferenceData referenceData,
    TimeProvider clock, ILogger<DemoSeeder> logger) : IHostedService
{
    public const string Application = "balticai-demo-seeder";

    public async Task StartAsync(CancellationToken cancellationToken) => await SeedAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Returns how many datasets this run registered (0 on a second run).</summary>
    public async Task<int> SeedAsync(CancellationToken ct)
    {
        var registered = 0;
        foreach (var demo in DemoDatasets.All)
        {
            var tenant = tenants.OfOrganisation(demo.Owner);
            if (tenant is null)
            {
                logger.LogWarning("Demo dataset {Title} skipped: organisation {Owner} is not in the tenant map", demo.Terms.Title, demo.Owner);
                continue;
            }
            await using var session = store.LightweightSession();
            var title = demo.Terms.Title;
            if (await session.Query<DatasetView>().AnyAsync(d => d.Owner == demo.Owner && d.State.Terms.Title == title, ct))
            {
                continue;
            }
            Refuse($"Demo dataset '{title}'", TermsContentRules.Check(demo.Terms, referenceData, await Lineage.KnownAsync(session, demo.Terms.Lineage.DerivedFrom, ct)));
            var actor = ActorFor(tenant, pseudonymiser);
            var now = clock.GetUtcNow();
            var created = RegisterDataset.Decide(Guid.CreateVersion7(now), actor, demo.Terms, now);
            var version = PublishVersion.Decide(Dataset.Create(created), demo.Version with { Digest = DigestOf(title) }, now);
            session.RecordActor(actor);
            session.Events.StartStream<Dataset>(created.DatasetId, [created, .. version.Events]);
            await session.CommitAsync(ct);
            registered++;
            logger.LogInformation("Demo dataset {Title} registered for {Owner} as {Id}", title, demo.Owner, created.DatasetId);
        }
        return registered;
    }

    /// <summary>An organisation acting for the demo: its tenant's country, the seeder's application name.</summary>
    public static Actor ActorFor(TenantEntry tenant, ActorPseudonymiser pseudonymiser) =>
        new(tenant.Organisation, tenant.Country, Application, pseudonymiser.Pseudonymise(Application));

    /// <summary>Demo data that break the rules of their route are a defect of the build: the broker does not start with them.</summary>
    public static void Refuse(string what, FieldErrors problems)
    {
        if (!problems.IsEmpty)
        {
            throw new InvalidOperationException($"{what} breaks the rules of its route: {string.Join("; ", problems.Entries.Select(e => e.Key + " " + string.Join(", ", e.Value)))}");
        }
    }

    /// <summary>Demo content does not exist; a stable digest of the title stands in for it.</summary>
    private static string DigestOf(string title) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("demo:" + title)));
}
