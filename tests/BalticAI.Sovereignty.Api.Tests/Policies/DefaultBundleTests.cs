using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Fixtures;

namespace BalticAI.Sovereignty.Api.Tests.Policies;

/// <summary>
/// The shipped bundle, as the broker records and evaluates it: the fixtures of policies/fixtures give
/// the outcomes the domain rules demand, through the broker's own engine and routes.
/// </summary>
public sealed class DefaultBundleTests(BrokerFactory broker) : IClassFixture<BrokerFactory>
{
    public static TheoryData<string> Fixtures()
    {
        var data = new TheoryData<string>();
        foreach (var (name, _) in Expected())
        {
            data.Add(name);
        }
        return data;
    }

    [Fact]
    public async Task The_shipped_bundle_is_recorded_as_active_at_start()
    {
        var active = await Decisions.DecisionWorld.WaitForShippedBundleAsync(broker);

        var manifest = JsonNode.Parse(await File.ReadAllTextAsync(RepositoryFiles.Path("policies", ".manifest")))!;
        active["revision"]!.GetValue<string>().ShouldBe(manifest["revision"]!.GetValue<string>());
        active["modules"]!.AsArray().Select(m => m!["path"]!.GetValue<string>()).ShouldContain("access/access.rego");
        active["digest"]!.GetValue<string>().ShouldStartWith("sha256:");
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public async Task Fixture_gets_the_expected_decision(string name)
    {
        await Decisions.DecisionWorld.WaitForShippedBundleAsync(broker);
        var expected = Expected().Single(e => e.Name == name).Expected;
        var input = JsonNode.Parse(await File.ReadAllTextAsync(RepositoryFiles.Path("policies", "fixtures", expected["input"]!.GetValue<string>())))!;

        var response = await broker.ClientFor(TestTenants.EuAiOffice, Roles.PolicyAdmin).PostAsJsonAsync("/policies/evaluate", new { input });
        var body = await DatasetApi.ReadJsonAsync(response);

        response.StatusCode.ShouldBe(HttpStatusCode.OK, body.ToJsonString());
        var decision = body["result"]!;
        decision["allow"]!.GetValue<bool>().ShouldBe(expected["allow"]!.GetValue<bool>(), decision.ToJsonString());
        decision["reasons"]!.AsArray().Select(r => r!["rule"]!.GetValue<string>()).Distinct().Order()
            .ShouldBe(expected["rules"]!.AsArray().Select(r => r!.GetValue<string>()).Order());
        if (expected["obligations"] is JsonArray obligations)
        {
            decision["obligations"]!.AsArray().Select(o => o!["type"]!.GetValue<string>()).Distinct().Order()
                .ShouldBe(obligations.Select(o => o!.GetValue<string>()).Distinct().Order());
        }
    }

    private static IEnumerable<(string Name, JsonObject Expected)> Expected() =>
        JsonNode.Parse(File.ReadAllText(RepositoryFiles.Path("policies", "fixtures", "expected.json")))!["expected"]!.AsObject()
            .Select(e => (e.Key, e.Value!.AsObject()));
}
