using System.Net;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;
using static BalticAI.Sovereignty.Api.Tests.Platform.ProblemAndOpenApiTests;

namespace BalticAI.Sovereignty.Api.Tests.Sites;

/// <summary>A site code is unique: a duplicate is the caller's 422, whether it comes after the first or races it.</summary>
public sealed class RegisteringSiteTests(BrokerFactory broker) : IClassFixture<BrokerFactory>
{
    private HttpClient PolicyAdmin => broker.ClientFor(TestTenants.EuAiOffice, Roles.PolicyAdmin);

    [Fact]
    public async Task A_second_site_with_a_registered_code_is_422_naming_the_code()
    {
        var code = $"pl-dup-{Guid.NewGuid():N}"[..20];
        (await PolicyAdmin.PostJsonAsync("/sites", Site(code, "PL"))).StatusCode.ShouldBe(HttpStatusCode.Created);

        var response = await PolicyAdmin.PostJsonAsync("/sites", Site(code, "PL"));

        var problem = await ShouldBeProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        problem["errors"]!["/code"]![0]!.GetValue<string>().ShouldBe($"a site with code '{code}' is already registered");
    }

    [Fact]
    public async Task A_data_embassy_is_abroad()
    {
        var home = Site($"ee-emb-{Guid.NewGuid():N}"[..20], "EE");
        home["dataEmbassyFor"] = "EE";
        var abroad = Site($"lu-emb-{Guid.NewGuid():N}"[..20], "LU");
        abroad["dataEmbassyFor"] = "EE";

        var refused = await PolicyAdmin.PostJsonAsync("/sites", home);
        var accepted = await PolicyAdmin.PostJsonAsync("/sites", abroad);

        var problem = await ShouldBeProblemAsync(refused, HttpStatusCode.UnprocessableEntity);
        problem["errors"]!["/dataEmbassyFor"].ShouldNotBeNull();
        accepted.StatusCode.ShouldBe(HttpStatusCode.Created);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Concurrent_registrations_of_one_code_record_one_site_and_answer_the_rest_as_duplicates(bool idempotencyKeys)
    {
        var code = $"pl-race-{Guid.NewGuid():N}"[..20];
        var registered = await CountEventsAsync(broker, "compute_site_registered");

        // With keys, a lost race also fails the transaction that keeps the answer (the filter then keeps the 422 alone).
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            PolicyAdmin.PostJsonAsync("/sites", Site(code, "PL"), idempotencyKey: idempotencyKeys ? Guid.NewGuid().ToString() : null)));

        responses.Select(r => r.StatusCode).ShouldAllBe(s => s == HttpStatusCode.Created || s == HttpStatusCode.UnprocessableEntity,
            string.Join(", ", responses.Select(r => (int)r.StatusCode)));
        responses.Count(r => r.StatusCode == HttpStatusCode.Created).ShouldBe(1);
        foreach (var duplicate in responses.Where(r => r.StatusCode == HttpStatusCode.UnprocessableEntity))
        {
            var problem = await ShouldBeProblemAsync(duplicate, HttpStatusCode.UnprocessableEntity);
            problem["errors"]!["/code"]![0]!.GetValue<string>().ShouldBe($"a site with code '{code}' is already registered");
        }
        (await CountEventsAsync(broker, "compute_site_registered")).ShouldBe(registered + 1);
    }
}
