using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;
using static BalticAI.Sovereignty.Api.Tests.Policies.ConditionalActivationTests;

namespace BalticAI.Sovereignty.Api.Tests.Policies;

/// <summary>A broker whose impact assessments may spend 1 ms taking decisions again.</summary>
public sealed class ImpactTimeoutBrokerFactory : BrokerFactory
{
    protected override IDictionary<string, string?> Settings
    {
        get
        {
            var settings = base.Settings;
            settings["Policy:ImpactTimeout"] = "00:00:00.001";
            return settings;
        }
    }
}

/// <summary>Past its time budget an assessment still answers, with what it evaluated and why it stopped.</summary>
public sealed class ImpactTimeoutTests(ImpactTimeoutBrokerFactory broker) : IClassFixture<ImpactTimeoutBrokerFactory>
{
    [Fact]
    public async Task An_assessment_out_of_time_reports_what_it_selected_evaluated_and_why_it_stopped()
    {
        await ActivateAsync(broker, Bundle($"impact-slow-{Guid.NewGuid():N}"));
        var job = await RegisterJobAsync(broker, await RegisterSiteAsync(broker, $"pl-imt-{Guid.NewGuid():N}"[..20], "PL"), commercial: false);
        var dataset = await RegisterDatasetAsync(broker, researchOnly: false);
        (await broker.ClientFor(TestTenants.PlCyfronet, Roles.TrainingSystem).PostJsonAsync($"/training-jobs/{job}/access-requests", Ask((dataset, 1))))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        var admin = broker.ClientFor(TestTenants.EuAiOffice, Roles.PolicyAdmin);
        JsonNode report = new JsonObject();

        var selected = await Eventually.HoldsWithinAsync(TimeSpan.FromSeconds(20), async () =>
        {
            var response = await admin.PostAsJsonAsync($"/policies/impact?job={job}", Bundle($"impact-slow-candidate-{Guid.NewGuid():N}"));
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            report = await DatasetApi.ReadJsonAsync(response);
            return report["scope"]!["selected"]!.GetValue<int>() == 1;
        });

        selected.ShouldBeTrue(report.ToJsonString());
        report["scope"]!["evaluated"]!.GetValue<int>().ShouldBe(0);
        report["scope"]!["stoppedBecause"]!.GetValue<string>().ShouldStartWith("the time budget of 0.001 s from the request's start (Policy:ImpactTimeout");
        report["summary"]!["unchanged"]!.GetValue<int>().ShouldBe(0);
        report["grants"]!["stoppedBecause"]!.GetValue<string>().ShouldBe("the time budget ran out on the decisions: no active grant was decided again");
    }

    [Fact]
    public async Task An_assessment_with_no_decision_to_take_again_still_stops_its_preview_of_the_grants_in_time()
    {
        await ActivateAsync(broker, Bundle($"impact-slow-grants-{Guid.NewGuid():N}"));
        var job = await RegisterJobAsync(broker, await RegisterSiteAsync(broker, $"pl-img-{Guid.NewGuid():N}"[..20], "PL"), commercial: false);
        await AskForOneAsync(broker, job, await RegisterDatasetAsync(broker, researchOnly: false));
        var admin = broker.ClientFor(TestTenants.EuAiOffice, Roles.PolicyAdmin);

        // No decision matches: the budget is spent by the time the grants are read, in PostgreSQL or in the engine.
        var response = await admin.PostAsJsonAsync($"/policies/impact?job={Guid.NewGuid()}", Distinct($"impact-slow-grants-candidate-{Guid.NewGuid():N}"));

        var report = await DatasetApi.ReadJsonAsync(response);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, report.ToJsonString());
        report["scope"]!["stoppedBecause"].ShouldBeNull();
        var grants = report["grants"]!;
        grants["toDecideAgain"]!.GetValue<int>().ShouldBeGreaterThanOrEqualTo(1);
        grants["evaluated"]!.GetValue<int>().ShouldBe(0);
        grants["stoppedBecause"]!.GetValue<string>().ShouldBe($"the time budget of 0.001 s ran out after 0 of {grants["toDecideAgain"]} active grants; activation decides them all again");
    }
}
