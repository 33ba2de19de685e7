using System.Net;
using BalticAI.Sovereignty.Api.Decisions.RequestingAccess;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;

namespace BalticAI.Sovereignty.Api.Tests.Decisions;

/// <summary>Documents held between decisions are used only while they are still the recorded version.</summary>
public sealed class RecordedFactsReaderTests(BrokerFactory broker) : IClassFixture<BrokerFactory>, IAsyncLifetime
{
    private Guid _site;

    public async Task InitializeAsync()
    {
        await ActivateAsync(broker, Bundle("facts-1"));
        _site = await RegisterSiteAsync(broker, $"pl-facts-{Guid.NewGuid():N}"[..20], "PL", "secure-processing-environment");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private RecordedFactsReader Reader => broker.Services.GetRequiredService<RecordedFactsReader>();

    [Fact]
    public async Task A_second_read_sends_no_body_that_did_not_change_and_a_write_is_read_at_once()
    {
        var job = await RegisterJobAsync(broker, _site, commercial: false);
        var dataset = await RegisterDatasetAsync(broker, researchOnly: false);

        var first = await Reader.ReadAsync(job, [dataset], CancellationToken.None);
        var (reused, read) = (Reader.Reused, Reader.Read);
        var second = await Reader.ReadAsync(job, [dataset], CancellationToken.None);

        (Reader.Reused - reused).ShouldBeGreaterThanOrEqualTo(3);
        second.Job.ShouldBeSameAs(first.Job);
        second.Site.ShouldBeSameAs(first.Site);
        second.Datasets[dataset].ShouldBeSameAs(first.Datasets[dataset]);
        first.Site!.Id.ShouldBe(_site);

        var owner = broker.ClientFor(TestTenants.PlMinistry, Roles.DataOwner);
        var published = await owner.PostJsonAsync($"/datasets/{dataset}/versions", DatasetApi.Version(DatasetApi.Digest2), $"\"{first.Datasets[dataset].Revision}\"");
        published.StatusCode.ShouldBe(HttpStatusCode.Created, await published.Content.ReadAsStringAsync());
        read = Reader.Read;
        var third = await Reader.ReadAsync(job, [dataset], CancellationToken.None);

        third.Datasets[dataset].ShouldNotBeSameAs(first.Datasets[dataset]);
        third.Datasets[dataset].Revision.ShouldBe(first.Datasets[dataset].Revision + 1);
        third.Datasets[dataset].State.Versions.Count.ShouldBe(2);
        (Reader.Read - read).ShouldBeGreaterThanOrEqualTo(1);
        third.Job.ShouldBeSameAs(first.Job);
    }

    [Fact]
    public async Task A_decision_right_after_a_write_decides_on_the_written_facts()
    {
        var job = await RegisterJobAsync(broker, _site, commercial: false);
        var dataset = await RegisterDatasetAsync(broker, researchOnly: false);
        var client = broker.ClientFor(TestTenants.PlCyfronet, Roles.TrainingSystem);
        var before = await client.PostJsonAsync($"/training-jobs/{job}/access-requests", Ask((dataset, 2)));
        before.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);

        var owner = broker.ClientFor(TestTenants.PlMinistry, Roles.DataOwner);
        var published = await owner.PostJsonAsync($"/datasets/{dataset}/versions", DatasetApi.Version(DatasetApi.Digest2), "\"2\"");
        published.StatusCode.ShouldBe(HttpStatusCode.Created, await published.Content.ReadAsStringAsync());
        var after = await client.PostJsonAsync($"/training-jobs/{job}/access-requests", Ask((dataset, 2)));

        after.StatusCode.ShouldBe(HttpStatusCode.OK, await after.Content.ReadAsStringAsync());
        (await DatasetApi.ReadJsonAsync(after))["decisions"]![0]!["version"]!.GetValue<int>().ShouldBe(2);
    }

    [Fact]
    public async Task A_row_rewritten_without_a_new_stream_version_is_read_again()
    {
        var job = await RegisterJobAsync(broker, _site, commercial: false);
        var first = await Reader.ReadAsync(job, [], CancellationToken.None);
        first.Site!.Name.ShouldNotBe("Rewritten");

        // A projection rebuild, or any writer other than the projection, keeps mt_version but not xmin.
        await using (var connection = new Npgsql.NpgsqlConnection(TestServices.PostgresConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new Npgsql.NpgsqlCommand(
                $"update {broker.Schema}.mt_doc_computesite set data = jsonb_set(data, '{{Name}}', '\"Rewritten\"') where id = @id", connection);
            command.Parameters.AddWithValue("id", _site);
            (await command.ExecuteNonQueryAsync()).ShouldBe(1);
        }
        var second = await Reader.ReadAsync(job, [], CancellationToken.None);

        second.Site!.Name.ShouldBe("Rewritten");
        second.Job.ShouldBeSameAs(first.Job);
    }

    [Fact]
    public async Task Unknown_job_and_datasets_read_as_absent()
    {
        var facts = await Reader.ReadAsync(Guid.NewGuid(), [Guid.NewGuid()], CancellationToken.None);

        facts.Job.ShouldBeNull();
        facts.Site.ShouldBeNull();
        facts.Datasets.ShouldBeEmpty();
    }
}
