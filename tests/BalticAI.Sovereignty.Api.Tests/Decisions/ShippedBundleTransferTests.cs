using System.Net;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;
using static BalticAI.Sovereignty.Api.Tests.Decisions.ShippedBundleApi;

namespace BalticAI.Sovereignty.Api.Tests.Decisions;

/// <summary>
/// GDPR Chapter V on registered sites: the US adequacy decision covers only organisations certified under the
/// EU-US Data Privacy Framework, so whether a US site's operator is certified is a fact the PolicyAdmin records.
/// </summary>
public sealed class ShippedBundleTransferTests(BrokerFactory broker) : IClassFixture<BrokerFactory>, IAsyncLifetime
{
    private Guid _personal;

    public async Task InitializeAsync()
    {
        await WaitForShippedBundleAsync(broker);
        var terms = Documented("Citizen petitions with names");
        terms["personalData"] = new JsonObject { ["containsPersonalData"] = true, ["lawfulBasis"] = "public-task", ["originalPurpose"] = "research" };
        _personal = await RegisterAsync(broker, terms);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    // Before sites recorded a certification, every US site needed a Chapter V safeguard, a certified operator's too.
    [Fact]
    public async Task Personal_data_go_to_a_US_site_whose_operator_is_DPF_certified_and_not_to_one_that_is_not()
    {
        var certified = Site(Code("us-dpf"), "US");
        certified["dpfCertified"] = true;
        var certifiedSite = await RegisterSiteAsync(broker, certified);
        var uncertifiedSite = await RegisterSiteAsync(broker, Code("us"), "US");

        var allowed = await DecideAsync(broker, certifiedSite, _personal, _ => { });
        var denied = await DecideAsync(broker, uncertifiedSite, _personal, _ => { });

        allowed["allowed"]!.GetValue<bool>().ShouldBeTrue(allowed.ToJsonString());
        denied["allowed"]!.GetValue<bool>().ShouldBeFalse();
        Rules(denied).ShouldBe(["third-country-transfer"]);
        Messages(denied).ShouldContain(m => m.Contains("would reach the site in US", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_registered_site_says_whether_it_is_DPF_certified()
    {
        var site = Site(Code("us-read"), "US");
        site["dpfCertified"] = true;
        var id = await RegisterSiteAsync(broker, site);

        var read = await broker.ClientFor(TestTenants.PlCyfronet, Roles.TrainingSystem).GetAsync($"/sites/{id}");

        read.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await DatasetApi.ReadJsonAsync(read))["dpfCertified"]!.GetValue<bool>().ShouldBeTrue();
    }

    [Fact]
    public async Task A_DPF_certification_outside_the_US_is_refused_for_a_site_and_for_a_model_recipient()
    {
        var site = Site(Code("de-dpf"), "DE");
        site["dpfCertified"] = true;
        var siteAnswer = await broker.ClientFor(TestTenants.EuAiOffice, Roles.PolicyAdmin).PostJsonAsync("/sites", site);
        var job = Job(await RegisterSiteAsync(broker, Code("pl"), "PL"), commercial: false);
        job["recipient"] = new JsonObject { ["country"] = "CH", ["dpfCertified"] = true };
        var jobAnswer = await broker.ClientFor(TestTenants.PlCyfronet, Roles.TrainingSystem).PostJsonAsync("/training-jobs", job);

        siteAnswer.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await siteAnswer.Content.ReadAsStringAsync()).ShouldContain("/dpfCertified");
        jobAnswer.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await jobAnswer.Content.ReadAsStringAsync()).ShouldContain("/recipient/dpfCertified");
    }

    private static string Code(string prefix) => $"{prefix}-xfer-{Guid.NewGuid():N}"[..20];
}
