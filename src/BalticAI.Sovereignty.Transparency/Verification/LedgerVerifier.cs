using System.Text;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Transparency.Checkpoints;
using BalticAI.Sovereignty.Transparency.Export;
using BalticAI.Sovereignty.Transparency.Leaves;
using BalticAI.Sovereignty.Transparency.Merkle;
using BalticAI.Sovereignty.Transparency.Witnessing;

namespace BalticAI.Sovereignty.Transparency.Verification;

public sealed record VerificationProblem(long? Index, string Message)
{
    public override string ToString() => Index is { } i ? $"entry {i}: {Message}" : Message;
}

/// <param name="HeadersCoveredFrom">
/// The first entry whose leaf digests the event headers (who acted); every later leaf must too. Null when
/// no leaf does: the whole log predates format 2 leaves.
/// </param>
/// <param name="Witnessed">With a <see cref="WitnessPolicy"/>: the largest checkpoint its quorum cosigned (null: none did, a problem).</param>
/// <param name="LatestCheckpoint">The largest checkpoint the log signed, which <paramref name="Witnessed"/> may trail.</param>
public sealed record VerificationReport(
    long Entries, int Checkpoints, IReadOnlyList<VerificationProblem> Problems, long? HeadersCoveredFrom = null,
    WitnessedCheckpoint? Witnessed = null, long LatestCheckpoint = 0)
{
    public bool Valid => Problems.Count == 0;
}

/// <summary>
/// Recomputes every leaf hash and every checkpoint root from an export, checks each checkpoint's
/// signature, and compares each recomputed leaf with the hash the broker's tree recorded. The tree is
/// built from the recomputed leaves, so a checkpoint root only matches when the event rows are what was
/// signed; the per-leaf comparison names the first entry that differs. Consistency between checkpoints
/// follows from recomputing all of them from one sequence of leaves. With a <see cref="WitnessPolicy"/>, every cosignature
/// by one of its witnesses must verify (C2SP: a signature by a known key that fails is a problem, not ignored), and some
/// checkpoint must carry its quorum; all the entries up to that one were then seen by those witnesses as they are here.
/// </summary>
public sealed class LedgerVerifier(
    string? expectedOrigin = null, IReadOnlyList<JsonObject>? pinnedKeys = null, int maxProblems = 20, WitnessPolicy? witnesses = null) : IExportVisitor
{
    private WitnessedCheckpoint? _witnessed;
    private readonly MerkleAccumulator _tree = new();
    private readonly SortedDictionary<long, Checkpoint> _checkpoints = [];
    private readonly List<VerificationProblem> _problems = [];
    private readonly byte[] _digest = new byte[32];
    private readonly byte[] _headersDigest = new byte[32];
    private long? _headersCoveredFrom;
    private readonly byte[] _hash = new byte[32];
    private ExportHeader? _header;
    private int _checkpointsVerified;

    /// <summary>Entries seen so far, for progress reporting.</summary>
    public long Entries => _tree.Size;

    public void Header(ExportHeader header) => _header = header;

    public void Checkpoint(long size, string note)
    {
        if (_header is null)
        {
            Problem(null, "the export has no header before its checkpoints");
            return;
        }
        var origin = expectedOrigin ?? _header.Origin;
        if (!CheckpointSigning.TryVerify(note, origin, pinnedKeys ?? _header.Keys, out var checkpoint, out var error))
        {
            Problem(null, $"checkpoint {size}: {error}");
            return;
        }
        if (checkpoint.Size != size)
        {
            Problem(null, $"checkpoint line says {size} but its note says {checkpoint.Size}");
            return;
        }
        CheckCosignatures(note, checkpoint);
        if (_checkpoints.TryGetValue(size, out var earlier))
        {
            // The same tree size signed twice is only harmless when it is the same tree.
            if (!earlier.RootHash.AsSpan().SequenceEqual(checkpoint.RootHash))
            {
                Problem(null, $"checkpoint {size}: two signed checkpoints of this size have different roots (a forked log)");
            }
            return;
        }
        _checkpoints[size] = checkpoint;
        if (size < _tree.Size)
        {
            // Only the tree's right edge is kept, so an earlier root can no longer be recomputed.
            Problem(null, $"checkpoint {size} comes after the entries it covers: the export must list checkpoints first");
        }
        else if (size == _tree.Size)
        {
            CheckRoot(checkpoint);
        }
    }

    public void Entry(long index, ReadOnlySpan<byte> leaf, ReadOnlySpan<byte> leafHash, ReadOnlySpan<byte> data, ReadOnlySpan<byte> headers)
    {
        var position = _tree.Size;
        if (index != position)
        {
            Problem(position, $"the export jumps to entry {index}: entries are missing or out of order");
        }
        if (leaf.IsEmpty)
        {
            Problem(position, "its event row is missing (deleted from the store)");
            if (leafHash.Length != MerkleHash.Size)
            {
                throw new InvalidDataException($"entry {position} has neither leaf nor recorded hash: cannot go on");
            }
            // Go on with the recorded hash so later entries and checkpoints are still checked.
            Append(leafHash);
            return;
        }
        MerkleHash.Leaf(leaf, _hash);
        if (!LedgerLeaf.TryReadIndexAndDigests(leaf, out var leafIndex, out var format, _digest, _headersDigest, readDigests: !data.IsEmpty || !headers.IsEmpty))
        {
            Problem(position, "its leaf is not a ledger leaf");
        }
        else if (leafIndex != position)
        {
            Problem(position, $"its leaf names entry {leafIndex}, not {position}");
        }
        else
        {
            CheckContent(position, format, data, headers);
        }
        if (!leafHash.IsEmpty && !leafHash.SequenceEqual(_hash))
        {
            Problem(position, "its event row differs from what the tree recorded (altered, replaced or reordered)");
        }
        Append(_hash);
    }

    /// <summary>
    /// The data and headers the export shows must be what the leaf digests, and once a leaf covers the
    /// headers every later one must: a log that went back to format 1 would stop saying who acted.
    /// </summary>
    private void CheckContent(long position, short format, ReadOnlySpan<byte> data, ReadOnlySpan<byte> headers)
    {
        if (!data.IsEmpty && !LedgerLeaf.DigestData(Encoding.UTF8.GetString(data)).AsSpan().SequenceEqual(_digest))
        {
            Problem(position, "its event data does not match the digest in its leaf");
        }
        if (format == LedgerLeaf.WithHeaders)
        {
            _headersCoveredFrom ??= position;
            if (!headers.IsEmpty && !LedgerLeaf.DigestHeaders(Encoding.UTF8.GetString(headers)).AsSpan().SequenceEqual(_headersDigest))
            {
                Problem(position, "its event headers (who acted) do not match the digest in its leaf");
            }
        }
        else if (_headersCoveredFrom is { } from)
        {
            Problem(position, $"its leaf does not digest the event headers (who acted), though leaves from entry {from} on do");
        }
    }

    private void Append(ReadOnlySpan<byte> hash)
    {
        _tree.AppendLeafHash(hash);
        if (_checkpoints.TryGetValue(_tree.Size, out var checkpoint))
        {
            CheckRoot(checkpoint);
        }
    }

    private void CheckRoot(Checkpoint checkpoint)
    {
        _checkpointsVerified++;
        if (!_tree.Root().AsSpan().SequenceEqual(checkpoint.RootHash))
        {
            Problem(null, $"checkpoint {checkpoint.Size}: the root recomputed from the entries differs from the signed root");
        }
    }

    private void CheckCosignatures(string note, Checkpoint checkpoint)
    {
        if (witnesses is null || !SignedNote.TryParse(note, out var signed))
        {
            return;
        }
        var (cosigners, failed) = witnesses.Cosigners(signed, checkpoint);
        foreach (var witness in failed)
        {
            Problem(null, $"checkpoint {checkpoint.Size}: the cosignature of witness {witness} does not verify");
        }
        if (cosigners.Count >= witnesses.Quorum && checkpoint.Size > (_witnessed?.Size ?? -1))
        {
            _witnessed = new WitnessedCheckpoint(checkpoint.Size, cosigners);
        }
    }

    public VerificationReport Finish()
    {
        if (_header is null)
        {
            Problem(null, "the export has no header");
        }
        foreach (var size in _checkpoints.Keys.Where(s => s > _tree.Size))
        {
            Problem(null, $"checkpoint {size} was signed but the export holds only {_tree.Size} entries: entries were dropped");
        }
        if (_checkpoints.Count == 0 && _problems.Count == 0)
        {
            Problem(null, "no signed checkpoint covers any entry: nothing is proven");
        }
        if (witnesses is not null && _witnessed is null)
        {
            Problem(null, $"no checkpoint is cosigned by {witnesses.Quorum} of the {witnesses.Witnesses.Count} witnesses given: nothing is proven to be the history they saw");
        }
        return new VerificationReport(
            _tree.Size, _checkpointsVerified, _problems.ToList(), _headersCoveredFrom, _witnessed, _checkpoints.Keys.DefaultIfEmpty(0).Max());
    }

    private void Problem(long? index, string message)
    {
        if (_problems.Count < maxProblems)
        {
            _problems.Add(new VerificationProblem(index, message));
        }
    }
}
