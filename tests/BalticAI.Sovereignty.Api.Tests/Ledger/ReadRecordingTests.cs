using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;
using static BalticAI.Sovereignty.Api.Tests.Ledger.LedgerEventsApi;

namespace BalticAI.Sovereignty.Api.Tests.Ledger;

[Collection(LedgerCollection.Name)]
public sealed class ReadRecordingTests(BrokerFactory broker) : IClassFixture<BrokerFactory>
{
    [Fact]
    public async Task An_auditors_read_of_a_dataset_history_is_recorded_with_reader_route_and_resource()
    {
        var dataset = await RegisterDatasetAsync(broker, researchOnly: false);

        (await broker.ClientFor(TestTenants.EuAiOffice, Roles.Auditor).GetAsync($"/datasets/{dataset}/history")).EnsureSuccessStatusCode();

        var reads = await WaitForAsync(Auditor(broker), "?type=LedgerReadRecorded&limit=1000",
            items => items.Any(i => i["data"]!["path"]!.GetValue<string>() == $"/datasets/{dataset}/history"));
        var read = reads.Single(i => i["data"]!["path"]!.GetValue<string>() == $"/datasets/{dataset}/history");
        read["data"]!["route"]!.GetValue<string>().ShouldBe("/datasets/{id:guid}/history");
        read["data"]!["resources"]!["id"]!.GetValue<string>().ShouldBe(dataset.ToString());
        read["data"]!["role"]!.GetValue<string>().ShouldBe(Roles.Auditor);
        read["data"]!["status"]!.GetValue<int>().ShouldBe(200);
        read["actor"]!["organisation"]!.GetValue<string>().ShouldBe("eu-ai-office");
        read["actor"]!["pseudonym"]!.GetValue<string>().ShouldNotBeNullOrEmpty();
    }

    [Theory]
    [InlineData("/versions", "/datasets/{id:guid}/versions")]
    [InlineData("/versions/1", "/datasets/{id:guid}/versions/{number:int}")]
    public async Task A_regulators_read_of_a_datasets_versions_is_recorded_as_its_read_of_the_dataset_is(string suffix, string route)
    {
        var dataset = await RegisterDatasetAsync(broker, researchOnly: false);

        (await broker.ClientFor(TestTenants.PlUodo, Roles.Regulator).GetAsync($"/datasets/{dataset}{suffix}")).EnsureSuccessStatusCode();

        var reads = await WaitForAsync(Auditor(broker), "?type=LedgerReadRecorded&country=PL&limit=1000",
            items => items.Any(i => i["data"]!["path"]!.GetValue<string>() == $"/datasets/{dataset}{suffix}"));
        var read = reads.Single(i => i["data"]!["path"]!.GetValue<string>() == $"/datasets/{dataset}{suffix}");
        read["data"]!["route"]!.GetValue<string>().ShouldBe(route);
        read["data"]!["role"]!.GetValue<string>().ShouldBe(Roles.Regulator);
        read["actor"]!["organisation"]!.GetValue<string>().ShouldBe("pl-uodo");
    }

    [Fact]
    public async Task A_regulators_query_is_recorded_in_its_country_and_a_data_owners_read_is_not()
    {
        var dataset = await RegisterDatasetAsync(broker, researchOnly: false);
        (await broker.ClientFor(TestTenants.PlMinistry, Roles.DataOwner).GetAsync($"/datasets/{dataset}/history")).EnsureSuccessStatusCode();
        var marker = Guid.NewGuid();
        (await broker.ClientFor(TestTenants.LtVdai, Roles.Regulator).GetAsync($"/ledger/events?dataset={marker}")).EnsureSuccessStatusCode();

        var reads = await WaitForAsync(Auditor(broker), "?type=ledger_read_recorded&country=LT&limit=1000",
            items => items.Any(i => i["data"]!["query"]?.GetValue<string>() == $"?dataset={marker}"));
        var lithuanian = reads.Single(i => i["data"]!["query"]?.GetValue<string>() == $"?dataset={marker}");
        lithuanian["data"]!["route"]!.GetValue<string>().ShouldBe("/ledger/events");
        lithuanian["data"]!["role"]!.GetValue<string>().ShouldBe(Roles.Regulator);
        lithuanian["countries"]!.AsArray().Select(c => c!.GetValue<string>()).ShouldBe(["LT"]);
        lithuanian["actor"]!["organisation"]!.GetValue<string>().ShouldBe("lt-vdai");
        // The owner read before the regulator, so its record, had there been one, would be indexed by now.
        var all = Items(await PageAsync(Auditor(broker), "?type=ledger_read_recorded&limit=1000"));
        all.ShouldNotContain(i => i["data"]!["path"]!.GetValue<string>() == $"/datasets/{dataset}/history");
    }
}
