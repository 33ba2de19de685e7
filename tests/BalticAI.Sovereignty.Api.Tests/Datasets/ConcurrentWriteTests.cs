using System.Net;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Datasets;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using BalticAI.Sovereignty.Api.Tests.Platform;
using Marten;

namespace BalticAI.Sovereignty.Api.Tests.Datasets;

/// <summary>
/// A write that passed its If-Match check loses to another write committed before its own commit:
/// the broker must answer 409 and record nothing of the loser. The interleaving is forced by a Marten
/// listener that commits a competing event just before the request's SaveChanges.
/// </summary>
public sealed class ConcurrentWriteTests(InterleavingBroker broker) : IClassFixture<InterleavingBroker>
{
    [Fact]
    public async Task A_write_overtaken_between_check_and_commit_is_409_and_leaves_only_the_winner()
    {
        var owner = broker.ClientFor(TestTenants.PlMinistry, Roles.DataOwner);
        var (id, etag) = await owner.RegisterAsync();
        broker.Interleaver.Arm(id, RestrictedMeanwhile(id));

        var response = await owner.PostJsonAsync($"/datasets/{id}/versions", DatasetApi.Version(), etag);

        await ProblemAndOpenApiTests.ShouldBeProblemAsync(response, HttpStatusCode.Conflict);
        var history = (await DatasetApi.ReadJsonAsync(await owner.GetAsync($"/datasets/{id}/history"))).AsArray();
        history.Select(e => e!["type"]!.GetValue<string>()).ShouldBe(["DatasetRegistered", "DatasetRestricted"]);
        var dataset = await owner.GetAsync($"/datasets/{id}");
        dataset.Headers.ETag!.ToString().ShouldBe("\"2\"");
        (await DatasetApi.ReadJsonAsync(dataset))["versionCount"]!.GetValue<int>().ShouldBe(0);
    }

    [Fact]
    public async Task Of_parallel_writers_with_the_same_etag_exactly_one_wins()
    {
        var owner = broker.ClientFor(TestTenants.PlMinistry, Roles.DataOwner);
        var (id, etag) = await owner.RegisterAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
            owner.PostJsonAsync($"/datasets/{id}/versions", DatasetApi.Version("sha256:" + new string((char)('a' + i), 64)), etag)));

        responses.Count(r => r.StatusCode == HttpStatusCode.Created).ShouldBe(1);
        responses.Where(r => r.StatusCode != HttpStatusCode.Created)
            .ShouldAllBe(r => r.StatusCode == HttpStatusCode.Conflict || r.StatusCode == HttpStatusCode.PreconditionFailed);
        (await DatasetApi.ReadJsonAsync(await owner.GetAsync($"/datasets/{id}/versions"))).AsArray().Count.ShouldBe(1);
    }

    [Fact]
    public async Task Terms_amended_concurrently_keep_the_first_commit()
    {
        var owner = broker.ClientFor(TestTenants.PlMinistry, Roles.DataOwner);
        var (id, etag) = await owner.RegisterAsync();
        broker.Interleaver.Arm(id, RestrictedMeanwhile(id));

        var response = await owner.PatchTermsAsync(id, new JsonObject { ["title"] = "Loser" }, etag);

        await ProblemAndOpenApiTests.ShouldBeProblemAsync(response, HttpStatusCode.Conflict);
        (await DatasetApi.ReadJsonAsync(await owner.GetAsync($"/datasets/{id}")))["terms"]!["title"]!.GetValue<string>().ShouldNotBe("Loser");
    }

    /// <summary>A competing write committed just before the request's own: the dataset restricted.</summary>
    private static Func<IDocumentSession, CancellationToken, Task> RestrictedMeanwhile(Guid id) => async (session, token) =>
    {
        await using var competitor = session.DocumentStore.LightweightSession();
        competitor.Events.Append(id, new DatasetRestricted(id, RestrictionReason.SecurityIncident, null, DateTimeOffset.UtcNow, ["PL"]));
        await competitor.SaveChangesAsync(token);
    };
}
