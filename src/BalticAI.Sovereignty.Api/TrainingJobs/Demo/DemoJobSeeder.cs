using BalticAI.Sovereignty.Api.Datasets.Demo;
using BalticAI.Sovereignty.Api.Datasets.ReferenceData;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Infrastructure.Persistence;
using BalticAI.Sovereignty.Api.Ledger;
using BalticAI.Sovereignty.Api.Sites;
using BalticAI.Sovereignty.Api.Sites.Demo;
using BalticAI.Sovereignty.Api.Sites.RegisteringSite;
using BalticAI.Sovereignty.Api.TrainingJobs.RegisteringJob;
using Marten;

namespace BalticAI.Sovereignty.Api.TrainingJobs.Demo;

/// <summary>
/// Registers the demo sites (<see cref="DemoSites"/>) and then the demo jobs (<see cref="DemoJobs"/>) at start-up with the
/// demo datasets (`Datasets:SeedDemo`), so that a decision can be asked for as soon as the broker runs. Idempotent: a site
/// is found by its code, a job by its training system and model name. Goes through the routes' own checks and decisions,
/// acting as the registering organisation with the demo seeder's application name.
/// </summary>
public sealed class DemoJobSeeder(
    IDocumentStore store, TenantMap tenants, ActorPseudonymiser pseudonymiser, DatasetReferenceData reference,
    TimeProvider clock, ILogger<DemoJobSeeder> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken) => await SeedAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Returns how many sites and jobs this run registered (none on a second run).</summary>
    public async Task<(int Sites, int Jobs)> SeedAsync(CancellationToken ct)
    {
        var sites = 0;
        foreach (var site in DemoSites.All)
        {
            await using var session = store.LightweightSession();
            if (ActorOf(DemoSites.Registrar, $"Demo site {site.Code}") is not { } registrar
                || await session.Query<ComputeSite>().AnyAsync(s => s.Code == site.Code, ct))
            {
                continue;
            }
            DemoSeeder.Refuse($"Demo site '{site.Code}'", RegisterSiteEndpoint.Check(site, reference, codeTaken: false));
            var now = clock.GetUtcNow();
            var registered = RegisterSiteEndpoint.Decide(Guid.CreateVersion7(now), site, now);
            session.RecordActor(registrar);
            session.Events.StartStream<ComputeSite>(registered.SiteId, registered);
            await session.CommitAsync(ct);
            sites++;
            logger.LogInformation("Demo site {Code} registered as {Id}", site.Code, registered.SiteId);
        }
        var jobs = 0;
        foreach (var demo in DemoJobs.All)
        {
            await using var session = store.LightweightSession();
            var (system, model) = (demo.TrainingSystem, demo.Job.Model.Name);
            if (ActorOf(system, $"Demo job {model}") is not { } actor
                || await session.Query<TrainingJob>().AnyAsync(j => j.TrainingSystem == system && j.Model.Name == model, ct))
            {
                continue;
            }
            if (await session.Query<ComputeSite>().SingleOrDefaultAsync(s => s.Code == demo.SiteCode, ct) is not { } site)
            {
                logger.LogWarning("Demo job {Model} skipped: its site {Code} is not registered", model, demo.SiteCode);
                continue;
            }
            var now = clock.GetUtcNow();
            var (registered, errors) = RegisterJobEndpoint.Decide(Guid.CreateVersion7(now), demo.Job with { SiteId = site.Id }, actor, site,
                tenants.OfOrganisation(demo.Job.Operator), reference, now);
            DemoSeeder.Refuse($"Demo job '{model}'", errors);
            session.RecordActor(actor);
            session.Events.StartStream<TrainingJob>(registered!.JobId, registered);
            await session.CommitAsync(ct);
            jobs++;
            logger.LogInformation("Demo job {Model} of {TrainingSystem} registered as {Id}", model, system, registered.JobId);
        }
        return (sites, jobs);
    }

    /// <summary>The organisation acting for the demo, or null (logged) when the tenant map does not hold it, as the demo datasets are skipped.</summary>
    private Actor? ActorOf(string organisation, string what)
    {
        if (tenants.OfOrganisation(organisation) is not { } tenant)
        {
            logger.LogWarning("{What} skipped: organisation {Organisation} is not in the tenant map", what, organisation);
            return null;
        }
        return DemoSeeder.ActorFor(tenant, pseudonymiser);
    }
}
