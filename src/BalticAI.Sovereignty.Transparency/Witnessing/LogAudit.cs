using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Transparency.Checkpoints;
using BalticAI.Sovereignty.Transparency.Merkle;

namespace BalticAI.Sovereignty.Transparency.Witnessing;

/// <summary>How far an audit has verified the log: a tree size and the right edge of that tree (its complete subtrees' hashes).</summary>
public sealed record AuditPosition(long Size, IReadOnlyList<byte[]> Frontier)
{
    public static readonly AuditPosition Start = new(0, []);
}

/// <summary>One entry read in an audit: its position, the event it names (none when the row is gone), and why its row fails, if it does.</summary>
public sealed record AuditedEntry(long Index, Guid? EventId, string? Problem);

/// <summary>
/// What one audit pass read. <paramref name="Inconsistency"/> is set when the entries' recorded leaf hashes do not
/// rebuild a tree consistent with the cosigned checkpoint: then nothing read may be taken as proven, and the position
/// must not move.
/// </summary>
public sealed record AuditPass(AuditPosition From, AuditPosition To, IReadOnlyList<AuditedEntry> Entries, string? Inconsistency);

/// <summary>
/// A monitor's pass over the log, as Certificate Transparency monitors read theirs: every entry from where the last
/// pass stopped, in pages, each row checked against the leaf hash the tree recorded (<see cref="EntryCheck"/>), and
/// the recorded hashes folded onto the verified tree's right edge. The tree so rebuilt must be the cosigned one, or
/// consistent with it by the broker's consistency proof when the pass stops short of it. So one pass proves every
/// event in its range to be in the history this witness cosigned, with a request per page rather than two per event,
/// and finds rows changed anywhere in the log, not only in the events a feed carried. Only public routes are read; a
/// witness reads them through <see cref="ThrottledRetryHandler"/>, as a pass catching up on a long log asks for more than
/// the broker's budget per address in a burst.
/// </summary>
public sealed class LogAudit(HttpClient broker, int pageSize, long entriesPerPass)
{
    public async Task<AuditPass> RunAsync(AuditPosition from, Checkpoint cosigned, CancellationToken ct)
    {
        if (from.Size > cosigned.Size)
        {
            throw new ArgumentException($"the audit stands at {from.Size}, past the cosigned checkpoint of size {cosigned.Size}", nameof(from));
        }
        var tree = MerkleAccumulator.Resume(from.Size, from.Frontier);
        var end = Math.Min(cosigned.Size, from.Size + entriesPerPass);
        var entries = new List<AuditedEntry>((int)(end - from.Size));
        while (tree.Size < end)
        {
            var count = (int)Math.Min(pageSize, end - tree.Size);
            var page = await GetAsync($"ledger/entries?from={tree.Size}&count={count}", ct);
            var items = page["entries"]?.AsArray() ?? throw new InvalidDataException("the entry page has no entries");
            if (items.Count == 0)
            {
                throw new InvalidDataException($"the broker serves no entry {tree.Size}, below its cosigned checkpoint of size {cosigned.Size}");
            }
            foreach (var item in items.Take(count))
            {
                var entry = item as JsonObject ?? throw new InvalidDataException("an entry is not an object");
                var index = entry["index"]?.GetValue<long>() ?? throw new InvalidDataException("an entry has no index");
                if (index != tree.Size)
                {
                    throw new InvalidDataException($"the broker served entry {index} where entry {tree.Size} was due");
                }
                var leafHash = entry["leafHash"]?.GetValue<string>() ?? throw new InvalidDataException($"entry {index} has no leaf hash");
                var hash = Convert.FromBase64String(leafHash);
                if (hash.Length != MerkleHash.Size)
                {
                    throw new InvalidDataException($"entry {index}'s leaf hash is {hash.Length} bytes, not {MerkleHash.Size}");
                }
                var eventId = entry["eventId"]?.GetValue<Guid>();
                entries.Add(new AuditedEntry(index, eventId, EntryCheck.Problem(index, eventId, entry["leaf"]?.GetValue<string>(), leafHash)));
                tree.AppendLeafHash(hash);
            }
        }
        var to = new AuditPosition(tree.Size, tree.FrontierHashes());
        return new AuditPass(from, to, entries, await InconsistencyAsync(from, tree, cosigned, ct));
    }

    private async Task<string?> InconsistencyAsync(AuditPosition from, MerkleAccumulator tree, Checkpoint cosigned, CancellationToken ct)
    {
        if (tree.Size == from.Size)
        {
            return null;
        }
        var root = tree.Root();
        var proof = tree.Size == cosigned.Size ? null : await ConsistencyProofAsync(tree.Size, cosigned.Size, ct);
        var consistent = proof is null
            ? root.AsSpan().SequenceEqual(cosigned.RootHash)
            : ProofVerifier.VerifyConsistency(tree.Size, cosigned.Size, root, cosigned.RootHash, proof);
        return consistent
            ? null
            : $"the leaf hashes the broker recorded for entries {from.Size}-{tree.Size - 1} do not rebuild a tree consistent with the cosigned checkpoint of size {cosigned.Size}";
    }

    private async Task<IReadOnlyList<byte[]>> ConsistencyProofAsync(long first, long second, CancellationToken ct) =>
        ProofHashes.Of(await GetAsync($"ledger/proofs/consistency?from={first}&to={second}", ct), "consistency");

    private async Task<JsonObject> GetAsync(string path, CancellationToken ct) =>
        await broker.GetFromJsonAsync<JsonObject>(path, ct) ?? throw new InvalidDataException($"{path} answered nothing");
}
