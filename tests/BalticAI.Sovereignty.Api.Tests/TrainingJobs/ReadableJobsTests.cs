using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using BalticAI.Sovereignty.Api.Tests.Ledger;
using BalticAI.Sovereignty.Api.TrainingJobs;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;

namespace BalticAI.Sovereignty.Api.Tests.TrainingJobs;

/// <summary>
/// The job list filters in SQL (<see cref="JobReaders.Readable"/>), the job routes one job at a time
/// (<see cref="JobReaders.CanReadAsync"/>): a list whose filter admitted fewer jobs would hide some, one that admitted more
/// would leak them. A Polish operator delegates to a Lithuanian training system.
/// </summary>
[Collection(LedgerCollection.Name)]
public sealed class ReadableJobsTests(BrokerFactory broker) : IClassFixture<BrokerFactory>
{
    [Fact]
    public async Task Readable_admits_exactly_the_jobs_CanReadAsync_admits_for_each_regulator()
    {
        var (_, foreignData) = await ForeignDataJob.RegisterAsync(broker);
        await ForeignDataJob.GrantPolishAndLithuanianDataAsync(broker, foreignData, "readable-jobs");
        var polishSite = await RegisterSiteAsync(broker, $"pl-rj-{Guid.NewGuid():N}"[..18], "PL");
        var estonianSite = await RegisterSiteAsync(broker, $"ee-rj-{Guid.NewGuid():N}"[..18], "EE");
        var jobs = new List<Guid>
        {
            foreignData,
            await RegisterJobAsync(broker, polishSite, commercial: false),
            await RegisterJobAsync(broker, polishSite, commercial: false, TestTenants.LtRegisters),
            await RegisterJobWithRecipientAsync(broker, estonianSite, "LV"),
            (await ForeignDataJob.RegisterAsync(broker)).Job,
            await StoreJobOfUnknownTrainingSystemAsync(estonianSite),
        };
        var tenants = broker.Services.GetRequiredService<TenantMap>();
        await using var session = broker.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var admitted = new Dictionary<string, List<Guid>>();

        foreach (var country in new[] { "PL", "LT", "LV", "EE", "EU" })
        {
            var regulator = new Caller(new Actor("regulator", country, "app", "p"), new HashSet<string> { Roles.Regulator }, "t");
            var listed = await JobReaders.Readable(session, regulator, tenants).Where(j => jobs.Contains(j.Id)).Select(j => j.Id).ToListAsync();
            var read = new List<Guid>();
            foreach (var job in await session.LoadManyAsync<TrainingJob>(jobs))
            {
                if (await JobReaders.CanReadAsync(regulator, job, tenants, session, CancellationToken.None))
                {
                    read.Add(job.Id);
                }
            }

            listed.ShouldBe(read, ignoreOrder: true, customMessage: country);
            admitted[country] = read;
        }

        // Both forms reach each branch of the rule: the Polish regulator reads the Lithuanian job through its decision only.
        admitted["PL"].ShouldBe(jobs[..4], ignoreOrder: true);
        admitted["LT"].ShouldBe([jobs[0], jobs[2], jobs[4]], ignoreOrder: true);
        admitted["LV"].ShouldBe([jobs[3]]);
        admitted["EE"].ShouldBe([jobs[3], jobs[5]], ignoreOrder: true);
        admitted["EU"].ShouldBe(jobs, ignoreOrder: true);
    }

    /// <summary>A job no API call can register (its training system is on no tenant map), stored as the projection would.</summary>
    private async Task<Guid> StoreJobOfUnknownTrainingSystemAsync(Guid site)
    {
        var job = new TrainingJob(Guid.NewGuid(), "unknown-org", "ee-ria", "EE", JobPurpose.Research, false, false, false, site, "EE",
            new ModelReference("m", null, null), null, null, new DateOnly(2026, 1, 1), new DateOnly(2026, 12, 31), DateTimeOffset.UtcNow, []);
        await using var session = broker.Services.GetRequiredService<IDocumentStore>().LightweightSession();
        session.Store(job);
        await session.SaveChangesAsync();
        return job.Id;
    }
}
