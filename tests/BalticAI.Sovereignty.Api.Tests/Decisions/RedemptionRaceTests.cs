using System.Net;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Datasets;
using BalticAI.Sovereignty.Api.Decisions;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using BalticAI.Sovereignty.Api.Tests.Platform;
using Marten;
using Npgsql;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;

namespace BalticAI.Sovereignty.Api.Tests.Decisions;

/// <summary>
/// A release reads its grant and data, decides, then commits. A change to the data committed in between
/// (forced by a Marten listener that commits it just before the release's SaveChanges) must fail that
/// commit, and the release is decided again on the data as they now stand: no release is recorded
/// after the withdrawal or restriction that should have refused it.
/// </summary>
public sealed class RedemptionRaceTests(InterleavingBroker broker) : IClassFixture<InterleavingBroker>, IAsyncLifetime
{
    private const string Refused = "The grant does not allow a release";
    private Guid _site;

    public async Task InitializeAsync()
    {
        await ActivateAsync(broker, Bundle("redemption-race-1"));
        _site = await RegisterSiteAsync(broker, $"pl-rr-{Guid.NewGuid():N}"[..20], "PL");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_release_with_nothing_in_between_is_recorded()
    {
        var (grant, _) = await GrantAsync(await RegisterDatasetAsync(broker, researchOnly: false));

        var released = await ReleaseAsync(grant);

        released.StatusCode.ShouldBe(HttpStatusCode.Created, await released.Content.ReadAsStringAsync());
        (await DatasetApi.ReadJsonAsync(released))["redemptions"]!.GetValue<int>().ShouldBe(1);
        (await LedgerOrderAsync(grant)).Count(t => t == "grant_redeemed").ShouldBe(1);
    }

    [Fact]
    public async Task A_withdrawal_committed_between_a_releases_read_and_its_commit_refuses_the_release()
    {
        var dataset = await RegisterDatasetAsync(broker, researchOnly: false);
        var (grant, _) = await GrantAsync(dataset);
        broker.Interleaver.Arm(grant, dataset, v => new DatasetWithdrawn(dataset, WithdrawalReason.ErasureRequest, null, DateTimeOffset.UtcNow, v.State.Countries));

        var raced = await ReleaseAsync(grant);

        await ShouldBeRefusedAsync(raced);
        await ShouldBeRefusedAsync(await ReleaseAsync(grant));
        var ledger = await LedgerOrderAsync(grant, dataset);
        ledger.ShouldContain("dataset_withdrawn");
        ledger.ShouldNotContain("grant_redeemed");
    }

    [Fact]
    public async Task A_withdrawal_and_the_revocation_it_caused_both_committed_in_between_refuse_the_release_without_a_500()
    {
        var dataset = await RegisterDatasetAsync(broker, researchOnly: false);
        var (grant, job) = await GrantAsync(dataset);
        broker.Interleaver.Arm(grant, dataset, (session, v) =>
        {
            session.Events.Append(dataset, new DatasetWithdrawn(dataset, WithdrawalReason.ErasureRequest, null, DateTimeOffset.UtcNow, v.State.Countries));
            session.Events.Append(grant, new GrantRevoked(grant, dataset, job, "dataset-withdrawn:erasure-request", DateTimeOffset.UtcNow, [.. v.State.Countries]));
        });

        var raced = await ReleaseAsync(grant);

        await ShouldBeRefusedAsync(raced);
        (await LedgerOrderAsync(grant, dataset)).ShouldNotContain("grant_redeemed");
    }

    [Fact]
    public async Task A_restriction_of_a_source_committed_between_a_releases_read_and_its_commit_refuses_the_release()
    {
        var source = await RegisterDatasetAsync(broker, researchOnly: false);
        var derived = await RegisterDerivedDatasetAsync(source);
        var (grant, _) = await GrantAsync(derived);
        broker.Interleaver.Arm(grant, source, v => new DatasetRestricted(source, RestrictionReason.SecurityIncident, null, DateTimeOffset.UtcNow, v.State.Countries));

        var raced = await ReleaseAsync(grant);

        await ShouldBeRefusedAsync(raced);
        (await LedgerOrderAsync(grant, source)).ShouldNotContain("grant_redeemed");
    }

    [Fact]
    public async Task A_release_whose_data_changed_harmlessly_in_between_is_decided_again_and_recorded_once()
    {
        var dataset = await RegisterDatasetAsync(broker, researchOnly: false);
        var (grant, _) = await GrantAsync(dataset);
        broker.Interleaver.Arm(grant, dataset, v => new DatasetTermsAmended(dataset, v.State.Terms with { Title = "Renamed meanwhile" }, ["title"], DateTimeOffset.UtcNow, v.State.Countries));

        var released = await AmendedGrants.OnceRedecidedAsync(() => ReleaseAsync(grant));

        // Decided again after the amendment, the release waits for the grant's re-decision (503), then is recorded.
        released.StatusCode.ShouldBe(HttpStatusCode.Created, await released.Content.ReadAsStringAsync());
        (await LedgerOrderAsync(grant, dataset)).Where(t => t is "dataset_terms_amended" or "grant_redeemed").ShouldBe(["dataset_terms_amended", "grant_redeemed"]);
    }

    [Fact]
    public async Task A_withdrawal_keeps_releases_from_committing_from_its_read_to_its_commit()
    {
        var dataset = await RegisterDatasetAsync(broker, researchOnly: false);
        var owner = broker.ClientFor(TestTenants.PlMinistry, Roles.DataOwner);
        var etag = (await owner.GetAsync($"/datasets/{dataset}")).Headers.ETag!.ToString();
        string? releaseCheck = null;
        // The withdrawal has taken its ledger sequence numbers here; a release's commit check (the row
        // FOR SHARE) must not get through before the withdrawal commits, or the release would follow it.
        broker.Interleaver.Arm(dataset, async (_, token) =>
        {
            await using var connection = new NpgsqlConnection(TestServices.PostgresConnectionString);
            await connection.OpenAsync(token);
            await using var check = new NpgsqlCommand($"select version from {broker.Schema}.mt_streams where id = @id for share nowait", connection);
            check.Parameters.AddWithValue("id", dataset);
            try
            {
                await check.ExecuteScalarAsync(token);
                releaseCheck = "read the row";
            }
            catch (PostgresException e)
            {
                releaseCheck = e.SqlState;
            }
        });

        var withdrawn = await owner.SendAsync(HttpMethod.Post, $"/datasets/{dataset}/withdrawal", """{"reason": "erasure-request"}""", etag);

        withdrawn.StatusCode.ShouldBe(HttpStatusCode.OK, await withdrawn.Content.ReadAsStringAsync());
        releaseCheck.ShouldBe(PostgresErrorCodes.LockNotAvailable);
    }

    private async Task<(Guid Grant, Guid Job)> GrantAsync(Guid dataset)
    {
        var job = await RegisterJobAsync(broker, _site, commercial: false);
        var asked = await broker.ClientFor(TestTenants.PlCyfronet, Roles.TrainingSystem).PostJsonAsync($"/training-jobs/{job}/access-requests", Ask((dataset, 1)));
        var decision = (await DatasetApi.ReadJsonAsync(asked))["decisions"]![0]!;
        decision["grant"].ShouldNotBeNull(decision.ToJsonString());
        return (Guid.Parse(GrantTokens.Remember(decision["grant"]!)), job);
    }

    private Task<HttpResponseMessage> ReleaseAsync(Guid grant) =>
        broker.ClientFor(TestTenants.PlCyfronet, Roles.DataPlane).PostJsonAsync($"/grants/{grant}/redemptions", GrantTokens.Release(grant.ToString(), 4096));

    /// <summary>The answer a release under a withdrawn or restricted dataset's grant gets, whether or not its revocation is recorded yet.</summary>
    private static async Task ShouldBeRefusedAsync(HttpResponseMessage response)
    {
        var problem = await ProblemAndOpenApiTests.ShouldBeProblemAsync(response, HttpStatusCode.Conflict);
        problem["title"]!.GetValue<string>().ShouldBe(Refused);
    }

    private async Task<Guid> RegisterDerivedDatasetAsync(Guid source)
    {
        var owner = broker.ClientFor(TestTenants.PlMinistry, Roles.DataOwner);
        var terms = DatasetApi.Terms(title: $"Derived {Guid.NewGuid():N}");
        terms["lineage"] = new JsonObject { ["derivedFrom"] = new JsonArray(source.ToString()) };
        var (id, etag) = await owner.RegisterAsync(terms);
        var version = await owner.PostJsonAsync($"/datasets/{id}/versions", DatasetApi.Version(), etag);
        version.StatusCode.ShouldBe(HttpStatusCode.Created, await version.Content.ReadAsStringAsync());
        return id;
    }

    /// <summary>The event types of these streams, in ledger (sequence) order.</summary>
    private async Task<List<string>> LedgerOrderAsync(params Guid[] streams)
    {
        await using var connection = new NpgsqlConnection(TestServices.PostgresConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"select type from {broker.Schema}.mt_events where stream_id = any(@streams) order by seq_id", connection);
        command.Parameters.AddWithValue("streams", streams);
        var types = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            types.Add(reader.GetString(0));
        }
        return types;
    }
}
