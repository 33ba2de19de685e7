using System.Net;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using BalticAI.Sovereignty.Api.Tests.Provenance;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;
using static BalticAI.Sovereignty.Api.Tests.Ledger.LedgerEventsApi;

namespace BalticAI.Sovereignty.Api.Tests.TrainingJobs;

/// <summary>
/// A job whose record names Lithuania only (site, operator and training system lt-rc) that asks for a Polish dataset of
/// pl-mc and a Lithuanian one of lt-rc: only the decisions on the Polish one concern Poland.
/// </summary>
public static class ForeignDataJob
{
    public static async Task<(Guid Site, Guid Job)> RegisterAsync(BrokerFactory broker)
    {
        var site = await RegisterSiteAsync(broker, $"lt-fd-{Guid.NewGuid():N}"[..18], "LT");
        return (site, await RegisterJobAsync(broker, site, commercial: false, TestTenants.LtRegisters, "lt-rc"));
    }

    /// <summary>
    /// Grants the job a Polish and a Lithuanian dataset under the test bundle, activated as <paramref name="revision"/>;
    /// returns the Polish one once the event index holds both grants.
    /// </summary>
    public static async Task<Guid> GrantPolishAndLithuanianDataAsync(BrokerFactory broker, Guid job, string revision)
    {
        await ProvenanceWorld.ActivateTestBundleAsync(broker, revision);
        var polish = await RegisterDatasetAsync(broker, researchOnly: false);
        var owner = broker.ClientFor(TestTenants.LtRegisters, Roles.DataOwner);
        var (lithuanian, etag) = await owner.RegisterAsync(DatasetApi.Terms(title: $"Lithuanian corpus {Guid.NewGuid():N}", country: "LT"));
        var version = await owner.PostJsonAsync($"/datasets/{lithuanian}/versions", DatasetApi.Version(), etag);
        version.StatusCode.ShouldBe(HttpStatusCode.Created, await version.Content.ReadAsStringAsync());
        foreach (var dataset in new[] { polish, lithuanian })
        {
            await ProvenanceWorld.GrantAsync(broker, job, dataset, trainingSystem: TestTenants.LtRegisters);
        }
        // Who reads the job follows the event index, which the async daemon fills shortly after the commit.
        await WaitForAsync(Auditor(broker), $"?job={job}&type=GrantIssued", items => items.Count == 2);
        return polish;
    }
}
