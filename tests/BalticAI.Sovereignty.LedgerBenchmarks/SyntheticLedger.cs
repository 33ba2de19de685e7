using BalticAI.Sovereignty.Security;
using BalticAI.Sovereignty.Transparency.Checkpoints;
using BalticAI.Sovereignty.Transparency.Export;
using BalticAI.Sovereignty.Transparency.Leaves;
using BalticAI.Sovereignty.Transparency.Merkle;

namespace BalticAI.Sovereignty.LedgerBenchmarks;

/// <summary>Realistic leaves (same shape and size as the broker's: format 2, with the headers digest) and an export file of them, made once per size.</summary>
public static class SyntheticLedger
{
    public const string Origin = "bench.balticai.eu/ledger";

    public static byte[] Leaf(long index)
    {
        var random = new Random((int)index);
        Span<byte> id = stackalloc byte[16];
        random.NextBytes(id);
        var (digest, headers) = (new byte[32], new byte[32]);
        random.NextBytes(digest);
        random.NextBytes(headers);
        return new LedgerLeaf(index, index + 1 + index / 97, new Guid(id), new Guid(id[..16]).ToString(), index % 10 < 6 ? "access_decided" : "consumption_reported",
            new DateTimeOffset(2026, 11, 28, 0, 0, 0, TimeSpan.Zero).AddTicks(index * 13_370), digest, headers).Encode();
    }

    /// <summary>Writes (or reuses) an export of <paramref name="entries"/> entries with a checkpoint every 1,000; no event data.</summary>
    public static async Task<string> ExportFileAsync(long entries)
    {
        var path = Path.Combine(Path.GetTempPath(), $"balticai-ledger-bench-{entries}-format{LedgerLeaf.WithHeaders}.ndjson");
        if (File.Exists(path))
        {
            return path;
        }
        var directory = Path.Combine(Path.GetTempPath(), "balticai-ledger-bench-keys");
        using var ring = new LocalKeyRing(directory, TimeProvider.System);
        var tree = new MerkleAccumulator();
        var hashes = new byte[entries][];
        var notes = new List<(long, string)>();
        for (long i = 0; i < entries; i++)
        {
            hashes[i] = MerkleHash.Leaf(Leaf(i));
            tree.AppendLeafHash(hashes[i]);
            if (tree.Size % 1000 == 0 || tree.Size == entries)
            {
                var note = await CheckpointSigning.SignAsync(new Checkpoint(Origin, tree.Size, tree.Root()), ring, CancellationToken.None);
                notes.Add((tree.Size, note.ToString()));
            }
        }
        await using (var writer = new LedgerExportWriter(File.Create(path + ".tmp")))
        {
            writer.WriteHeader(new ExportHeader(Origin, await ring.GetVerificationKeysAsync(CancellationToken.None)));
            foreach (var (size, note) in notes)
            {
                writer.WriteCheckpoint(size, note);
            }
            for (long i = 0; i < entries; i++)
            {
                writer.WriteEntry(new ExportEntry(i, Leaf(i), hashes[i], null));
            }
        }
        File.Move(path + ".tmp", path);
        return path;
    }
}
