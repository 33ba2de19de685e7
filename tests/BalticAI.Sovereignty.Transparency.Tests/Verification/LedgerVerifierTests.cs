using System.Text;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Security;
using BalticAI.Sovereignty.Transparency.Checkpoints;
using BalticAI.Sovereignty.Transparency.Export;
using BalticAI.Sovereignty.Transparency.Leaves;
using BalticAI.Sovereignty.Transparency.Merkle;
using BalticAI.Sovereignty.Transparency.Verification;

namespace BalticAI.Sovereignty.Transparency.Tests.Verification;

/// <summary>Exports built in memory and tampered with line by line; the verifier must reject each forgery and accept the original.</summary>
public sealed class LedgerVerifierTests : IDisposable
{
    private const string Origin = "balticai.eu/sovereignty-ledger";
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "balticai-verifier-tests", Guid.NewGuid().ToString("N"));
    private readonly LocalKeyRing _ring;

    public LedgerVerifierTests() => _ring = new LocalKeyRing(_directory, TimeProvider.System);

    private const string Data = "{\"n\":1}";
    private const string Actor = """{"actor_org":"pl-mc","actor_country":"PL","actor_app":"balticai-cli","actor_pseudonym":"ps:T0bYsrqgiU6tgMqSFhXFng"}""";

    /// <summary>A format 1 leaf, or a format 2 one when <paramref name="headers"/> is given.</summary>
    private static byte[] Leaf(long index, string data = Data, string? headers = null) =>
        new LedgerLeaf(index, index + 100, Guid.NewGuid(), Guid.NewGuid().ToString(), "ledger_test_event",
            DateTimeOffset.UnixEpoch.AddSeconds(index), LedgerLeaf.DigestData(data), headers is null ? null : LedgerLeaf.DigestHeaders(headers)).Encode();

    private static byte[] Root(IEnumerable<byte[]> leaves)
    {
        var tree = new MerkleAccumulator();
        foreach (var leaf in leaves)
        {
            tree.AppendLeaf(leaf);
        }
        return tree.Root();
    }

    private async Task<string> NoteAsync(long size, byte[] root) =>
        (await CheckpointSigning.SignAsync(new Checkpoint(Origin, size, root), _ring, CancellationToken.None)).ToString();

    /// <summary>The export's lines: header, then <paramref name="checkpoints"/> lines, then one line per leaf.</summary>
    private async Task<List<string>> LinesAsync(IReadOnlyList<byte[]> leaves, IEnumerable<(long Size, string Note)> checkpoints)
    {
        using var stream = new MemoryStream();
        await using (var writer = new LedgerExportWriter(stream))
        {
            writer.WriteHeader(new ExportHeader(Origin, await _ring.GetVerificationKeysAsync(CancellationToken.None)));
            foreach (var (size, note) in checkpoints)
            {
                writer.WriteCheckpoint(size, note);
            }
            for (var i = 0; i < leaves.Count; i++)
            {
                writer.WriteEntry(new ExportEntry(i, leaves[i], MerkleHash.Leaf(leaves[i]), null));
            }
        }
        return Encoding.UTF8.GetString(stream.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
    }

    private static VerificationReport Verify(IEnumerable<string> lines)
    {
        var verifier = new LedgerVerifier();
        LedgerExportReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(string.Join("\n", lines) + "\n")), verifier);
        return verifier.Finish();
    }

    private static string EntryLine(long index, byte[] leaf, byte[] leafHash) =>
        new JsonObject { ["index"] = index, ["leaf"] = Convert.ToBase64String(leaf), ["leafHash"] = Convert.ToBase64String(leafHash) }.ToJsonString();

    /// <summary>An entry line as an auditor's export writes it: with the event data and headers the leaf digests.</summary>
    private static string EntryLine(long index, byte[] leaf, string data, string headers)
    {
        var line = JsonNode.Parse(EntryLine(index, leaf, MerkleHash.Leaf(leaf)))!.AsObject();
        line["data"] = JsonNode.Parse(data);
        line["headers"] = JsonNode.Parse(headers);
        return line.ToJsonString();
    }

    /// <summary>Entries 0-3 of format 1 (a ledger begun before format 2), 4-7 covering who acted; lines 0-1 are header and checkpoint.</summary>
    private async Task<(List<byte[]> Leaves, List<string> Lines)> UpgradedLedgerAsync()
    {
        var leaves = Enumerable.Range(0, 8).Select(i => i < 4 ? Leaf(i) : Leaf(i, headers: Actor)).ToList();
        var lines = await LinesAsync(leaves, [(8, await NoteAsync(8, Root(leaves)))]);
        for (var i = 0; i < leaves.Count; i++)
        {
            lines[i + 2] = EntryLine(i, leaves[i], Data, i < 4 ? "null" : Actor);
        }
        return (leaves, lines);
    }

    [Fact]
    public async Task A_ledger_upgraded_to_leaves_that_cover_who_acted_verifies_and_says_from_where()
    {
        var (_, lines) = await UpgradedLedgerAsync();

        var report = Verify(lines);

        report.Problems.ShouldBeEmpty();
        report.HeadersCoveredFrom.ShouldBe(4);
    }

    [Fact]
    public async Task Headers_that_differ_from_the_leaf_are_named_at_their_entry()
    {
        var (leaves, lines) = await UpgradedLedgerAsync();
        lines[2 + 6] = EntryLine(6, leaves[6], Data, Actor.Replace("pl-mc", "pl-uodo"));

        var report = Verify(lines);

        report.Problems.ShouldHaveSingleItem().ShouldBe(new VerificationProblem(6, "its event headers (who acted) do not match the digest in its leaf"));
    }

    [Fact]
    public async Task A_leaf_that_stops_covering_who_acted_is_named()
    {
        var leaves = Enumerable.Range(0, 6).Select(i => i == 4 ? Leaf(i) : Leaf(i, headers: Actor)).ToList();
        var lines = await LinesAsync(leaves, [(6, await NoteAsync(6, Root(leaves)))]);

        var report = Verify(lines);

        report.Problems.ShouldHaveSingleItem().ShouldBe(
            new VerificationProblem(4, "its leaf does not digest the event headers (who acted), though leaves from entry 0 on do"));
    }

    [Fact]
    public async Task An_export_of_the_first_version_still_verifies()
    {
        var leaves = Enumerable.Range(0, 4).Select(i => Leaf(i)).ToList();
        var lines = await LinesAsync(leaves, [(4, await NoteAsync(4, Root(leaves)))]);
        lines[0] = lines[0].Replace(LedgerExportFormat.Version, LedgerExportFormat.DataOnlyVersion);

        var report = Verify(lines);

        report.Problems.ShouldBeEmpty();
        report.HeadersCoveredFrom.ShouldBeNull();
    }

    [Fact]
    public async Task An_untampered_export_verifies()
    {
        var leaves = Enumerable.Range(0, 8).Select(i => Leaf(i)).ToList();
        var lines = await LinesAsync(leaves, [(4, await NoteAsync(4, Root(leaves.Take(4)))), (8, await NoteAsync(8, Root(leaves)))]);

        var report = Verify(lines);

        report.Problems.ShouldBeEmpty();
        report.Checkpoints.ShouldBe(2);
    }

    [Fact]
    public async Task A_checkpoint_moved_behind_the_entries_it_covers_still_catches_a_forged_entry()
    {
        var leaves = Enumerable.Range(0, 4).Select(i => Leaf(i)).ToList();
        var lines = await LinesAsync(leaves, [(4, await NoteAsync(4, Root(leaves)))]);
        var forged = Leaf(2, "{\"n\":2}");
        lines[4] = EntryLine(2, forged, MerkleHash.Leaf(forged));
        var checkpoint = lines[1];
        lines.RemoveAt(1);
        lines.Add(checkpoint);

        var report = Verify(lines);

        report.Valid.ShouldBeFalse();
        report.Problems.ShouldContain(p => p.Message.Contains("checkpoint 4"));
    }

    [Fact]
    public async Task Two_signed_checkpoints_of_one_size_with_different_roots_are_a_fork()
    {
        var leaves = Enumerable.Range(0, 4).Select(i => Leaf(i)).ToList();
        var forkedRoot = Root(leaves.Take(3).Append(Leaf(3, "{\"n\":3}")));
        var lines = await LinesAsync(leaves, [(4, await NoteAsync(4, forkedRoot)), (4, await NoteAsync(4, Root(leaves)))]);

        var report = Verify(lines);

        report.Valid.ShouldBeFalse();
        report.Problems.ShouldContain(p => p.Message.Contains("checkpoint 4") && p.Message.Contains("different roots"));
    }

    [Fact]
    public async Task A_leaf_whose_bytes_are_no_longer_json_is_named_not_unreadable()
    {
        var leaves = Enumerable.Range(0, 4).Select(i => Leaf(i)).ToList();
        var lines = await LinesAsync(leaves, [(4, await NoteAsync(4, Root(leaves)))]);
        var broken = leaves[1].ToArray();
        broken[0] = (byte)'[';
        lines[3] = EntryLine(1, broken, MerkleHash.Leaf(leaves[1]));

        var report = Verify(lines);

        report.Valid.ShouldBeFalse();
        report.Problems[0].Index.ShouldBe(1);
    }

    [Fact]
    public async Task A_leaf_hash_longer_than_any_hash_makes_the_export_unreadable_at_its_line()
    {
        var leaves = Enumerable.Range(0, 2).Select(i => Leaf(i)).ToList();
        var lines = await LinesAsync(leaves, [(2, await NoteAsync(2, Root(leaves)))]);
        lines[3] = EntryLine(1, leaves[1], new byte[100]);

        var failure = Should.Throw<InvalidDataException>(() => Verify(lines));

        failure.Message.ShouldContain("line 4");
    }

    public void Dispose()
    {
        _ring.Dispose();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
