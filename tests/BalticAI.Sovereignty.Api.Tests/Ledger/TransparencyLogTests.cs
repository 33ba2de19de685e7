using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Transparency.Checkpoints;
using BalticAI.Sovereignty.Transparency.Merkle;

namespace BalticAI.Sovereignty.Api.Tests.Ledger;

[Collection(LedgerCollection.Name)]
public sealed class TransparencyLogTests(LedgerBroker broker) : IClassFixture<LedgerBroker>
{
    private static byte[] B64(JsonNode? node) => Convert.FromBase64String(node!.GetValue<string>());

    private async Task<List<JsonObject>> KeysAsync() =>
        (await broker.CreateClient().GetFromJsonAsync<JsonObject>("/.well-known/jwks.json"))!["keys"]!.AsArray().Select(k => k!.AsObject()).ToList();

    [Fact]
    public async Task Events_become_gapless_entries_under_a_signed_checkpoint_and_each_is_provable_by_its_id()
    {
        var ids = await broker.AppendAsync(5, "first");
        var checkpoint = await broker.WaitForCheckpointAsync(ids[^1]);
        var client = broker.CreateClient();

        CheckpointSigning.TryVerify(checkpoint["note"]!.GetValue<string>(), LedgerBroker.Origin, await KeysAsync(), out var signed, out var error).ShouldBeTrue(error);
        var entry = await client.GetFromJsonAsync<JsonObject>($"/ledger/entries/by-event/{ids[3]}");
        var proof = entry!["proof"]!;
        var index = proof["index"]!.GetValue<long>();
        var treeSize = proof["treeSize"]!.GetValue<long>();
        var leaf = B64(entry["entry"]!["leaf"]);

        Encoding.UTF8.GetString(leaf).ShouldContain($"\"eventId\":\"{ids[3]}\"");
        treeSize.ShouldBe(entry["checkpoint"]!["size"]!.GetValue<long>());
        MerkleHash.Leaf(leaf).ShouldBe(B64(proof["leafHash"]));
        var checkpointRoot = B64(entry["checkpoint"]!["rootHash"]);
        ProofVerifier.VerifyInclusion(index, treeSize, MerkleHash.Leaf(leaf), proof["hashes"]!.AsArray().Select(B64).ToList(), checkpointRoot).ShouldBeTrue();
        signed.Size.ShouldBeGreaterThanOrEqualTo(5);
    }

    [Fact]
    public async Task Consistency_proof_links_an_older_checkpoint_to_a_newer_one()
    {
        var older = await broker.WaitForCheckpointAsync((await broker.AppendAsync(3, "older"))[^1]);
        var olderSize = older["size"]!.GetValue<long>();
        var newer = await broker.WaitForCheckpointAsync((await broker.AppendAsync(6, "newer"))[^1]);
        var newerSize = newer["size"]!.GetValue<long>();

        var proof = await broker.CreateClient().GetFromJsonAsync<JsonObject>($"/ledger/proofs/consistency?from={olderSize}&to={newerSize}");

        ProofVerifier.VerifyConsistency(olderSize, newerSize, B64(older["rootHash"]), B64(newer["rootHash"]), proof!["hashes"]!.AsArray().Select(B64).ToList())
            .ShouldBeTrue();
        var sizes = new List<long>();
        await foreach (var row in broker.Ledger.ReadEntriesAsync(0, 1000, CancellationToken.None))
        {
            sizes.Add(row.Index);
        }
        sizes.ShouldBe(Enumerable.Range(0, sizes.Count).Select(i => (long)i).ToList());
    }

    [Fact]
    public async Task Consistency_from_the_empty_tree_is_an_empty_proof()
    {
        var checkpoint = await broker.WaitForCheckpointAsync((await broker.AppendAsync(2, "from-empty"))[^1]);
        var size = checkpoint["size"]!.GetValue<long>();

        var response = await broker.CreateClient().GetAsync($"/ledger/proofs/consistency?from=0&to={size}");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var proof = await response.Content.ReadFromJsonAsync<JsonObject>();
        var hashes = proof!["hashes"]!.AsArray().Select(B64).ToList();
        B64(proof["fromRootHash"]).ShouldBe(MerkleHash.Empty());
        B64(proof["toRootHash"]).ShouldBe(B64(checkpoint["rootHash"]));
        ProofVerifier.VerifyConsistency(0, size, MerkleHash.Empty(), B64(checkpoint["rootHash"]), hashes).ShouldBeTrue();
    }

    [Fact]
    public async Task An_untampered_ledger_verifies_offline()
    {
        await broker.WaitForCheckpointAsync((await broker.AppendAsync(4, "clean"))[^1]);

        var report = await broker.ExportAndVerifyAsync();

        report.Problems.ShouldBeEmpty();
        report.Checkpoints.ShouldBeGreaterThan(0);
    }

    [Theory]
    [InlineData("/ledger/proofs/inclusion/999999", HttpStatusCode.BadRequest)]
    [InlineData("/ledger/proofs/inclusion/0?treeSize=abc", HttpStatusCode.BadRequest)]
    [InlineData("/ledger/proofs/inclusion/0?treeSize=0", HttpStatusCode.BadRequest)]
    [InlineData("/ledger/proofs/inclusion/-1", HttpStatusCode.BadRequest)]
    [InlineData("/ledger/proofs/consistency?from=5&to=2", HttpStatusCode.BadRequest)]
    [InlineData("/ledger/proofs/consistency?from=1", HttpStatusCode.BadRequest)]
    [InlineData("/ledger/proofs/consistency?from=1&to=99999999", HttpStatusCode.BadRequest)]
    [InlineData("/ledger/checkpoints/987654321", HttpStatusCode.NotFound)]
    [InlineData("/ledger/entries?count=0", HttpStatusCode.BadRequest)]
    [InlineData("/ledger/entries/by-event/00000000-0000-0000-0000-000000000001", HttpStatusCode.NotFound)]
    // Paths no route's constraints accept: answered to an anonymous auditor as to anyone, not 401.
    [InlineData("/ledger/checkpoints/abc", HttpStatusCode.NotFound)]
    [InlineData("/ledger/entries/by-event/not-a-guid", HttpStatusCode.NotFound)]
    [InlineData("/ledger/proofs/inclusion/99999999999999999999", HttpStatusCode.NotFound)]
    public async Task Bad_parameters_are_problems_not_errors(string path, HttpStatusCode status)
    {
        await broker.WaitForCheckpointAsync((await broker.AppendAsync(1, "param"))[^1]);

        var response = await broker.CreateClient().GetAsync(path);

        response.StatusCode.ShouldBe(status);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
    }
}
