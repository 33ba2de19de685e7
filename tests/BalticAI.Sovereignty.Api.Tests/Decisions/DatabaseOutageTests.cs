using System.Net;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;
using static BalticAI.Sovereignty.Api.Tests.Platform.ProblemAndOpenApiTests;

namespace BalticAI.Sovereignty.Api.Tests.Decisions;

public sealed class DatabaseOutageTests(DatabaseOutageBrokerFactory broker) : IClassFixture<DatabaseOutageBrokerFactory>
{
    [Fact]
    public async Task Database_unreachable_for_the_decision_is_503_with_Retry_After_and_records_nothing()
    {
        await ActivateAsync(broker, Bundle("db-outage"));
        var site = await RegisterSiteAsync(broker, $"pl-db-{Guid.NewGuid():N}"[..20], "PL");
        var job = await RegisterJobAsync(broker, site, commercial: false);
        var dataset = await RegisterDatasetAsync(broker, researchOnly: false);
        var decided = await CountEventsAsync(broker, "access_decided");
        var granted = await CountEventsAsync(broker, "grant_issued");

        broker.Database.Cut();
        HttpResponseMessage refused;
        try
        {
            refused = await AskAsync(job, dataset);
        }
        finally
        {
            broker.Database.Open();
        }

        var problem = await ShouldBeProblemAsync(refused, HttpStatusCode.ServiceUnavailable);
        refused.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(DatabaseOutageBrokerFactory.DefaultRetryAfterSeconds));
        problem["detail"]!.GetValue<string>().ShouldContain("database");
        (await CountEventsAsync(broker, "access_decided")).ShouldBe(decided);
        (await CountEventsAsync(broker, "grant_issued")).ShouldBe(granted);
        (await AskUntilAnsweredAsync(job, dataset)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    private Task<HttpResponseMessage> AskAsync(Guid job, Guid dataset) =>
        broker.ClientFor(TestTenants.PlCyfronet, Roles.TrainingSystem).PostJsonAsync($"/training-jobs/{job}/access-requests", Ask((dataset, 1)));

    /// <summary>Once the database is back the broker answers again; pooled connections the cut broke may cost a 503 or two.</summary>
    private async Task<HttpResponseMessage> AskUntilAnsweredAsync(Guid job, Guid dataset)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var response = await AskAsync(job, dataset);
            if (response.StatusCode != HttpStatusCode.ServiceUnavailable || DateTime.UtcNow > deadline)
            {
                return response;
            }
            await Task.Delay(500);
        }
    }
}
