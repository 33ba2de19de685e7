using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Transparency.Checkpoints;
using BalticAI.Sovereignty.Transparency.Export;
using BalticAI.Sovereignty.Transparency.Leaves;
using BalticAI.Sovereignty.Transparency.Merkle;
using BalticAI.Sovereignty.Transparency.Witnessing;

namespace BalticAI.Sovereignty.Transparency.Verification;

/// <param name="Proven">Whether every check held; <paramref name="Reason"/> says which did not.</param>
/// <param name="Leaf">The entry's leaf: position, event, type, time and the digest of the event's data.</param>
/// <param name="CheckpointSize">The checkpoint the entry was proven in.</param>
/// <param name="Cosigners">With a witness policy, the witnesses whose cosignatures of that checkpoint verify.</param>
/// <param name="Bundle">What was proven, to keep and check again offline (<see cref="EventProofBundle"/>); null when nothing was fetched.</param>
/// <param name="Pending">Not proven yet, but asking again later may prove it: the tree, a checkpoint or the witnesses have not reached the event.</param>
public sealed record EventProofResult(
    bool Proven, string Reason, LedgerLeaf? Leaf = null, long? CheckpointSize = null, string? RootHash = null, IReadOnlyList<string>? Cosigners = null,
    EventProofBundle? Bundle = null, bool Pending = false);

/// <summary>
/// Proves that one event is in the log, as a transparency log's client proves an entry (Sigstore's `rekor-cli verify`):
/// the broker's entry for the event, whose leaf names the event and hashes to what the tree recorded; a checkpoint
/// signed by the log's keys (pinned by the caller, or the broker's own); with a witness policy, the first checkpoint
/// covering the entry that enough of the caller's witnesses cosigned; and the entry's inclusion proof against that
/// checkpoint's root. Only public routes are read, so anyone holding an event id (a grant names its decision's) can
/// check it without an account. What is fetched is an <see cref="EventProofBundle"/>, verified by <see cref="Verify"/>
/// alone, so a proof kept in a case file is checked again the same way, without the broker.
/// </summary>
public static class EventProof
{
    public static async Task<EventProofResult> ProveAsync(
        HttpClient broker, Guid eventId, IReadOnlyList<JsonObject> logKeys, string? origin, WitnessPolicy? witnesses, CancellationToken ct)
    {
        using var response = await broker.GetAsync($"/ledger/entries/by-event/{eventId}", ct);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return EntryCheck.NeverInLog(response)
                ? new EventProofResult(false, $"the broker's log holds no event {eventId}, and none is recorded past its tree: the id is wrong, or the log lacks the event")
                : new EventProofResult(false, $"event {eventId} is not in the ledger's tree yet (the tree trails commits by a few seconds: try again shortly)", Pending: true);
        }
        response.EnsureSuccessStatusCode();
        var found = await response.Content.ReadFromJsonAsync<JsonObject>(ct) ?? throw new InvalidDataException("the entry response is empty");
        var entry = found["entry"]?.AsObject() ?? throw new InvalidDataException("the entry response has no entry");
        var index = entry["index"]?.GetValue<long>() ?? throw new InvalidDataException("the entry has no index");
        if (found["checkpoint"] is not JsonObject covering)
        {
            return new EventProofResult(false, $"no signed checkpoint covers entry {index} yet (checkpoints follow within seconds: try again shortly)", Pending: true);
        }
        var note = covering["note"]!.GetValue<string>();
        if (witnesses is not null)
        {
            origin ??= note[..note.IndexOf('\n', StringComparison.Ordinal)];
            var (witnessed, problem) = await FirstWitnessedAsync(broker, covering["size"]!.GetValue<long>(), origin, logKeys, witnesses, ct);
            if (witnessed is null)
            {
                return new EventProofResult(false, problem!, Pending: true);
            }
            note = witnessed;
        }
        var size = SizeOf(note);
        var proof = await broker.GetFromJsonAsync<JsonObject>($"/ledger/proofs/inclusion/{index}?treeSize={size}", ct);
        var bundle = new EventProofBundle(EventProofBundle.CurrentFormat, eventId,
            new EventProofEntry(index, entry["leaf"]?.GetValue<string>(), entry["leafHash"]?.GetValue<string>() ?? throw new InvalidDataException("the entry has no leaf hash")),
            note, ProofHashes.Of(proof, "inclusion").Select(Convert.ToBase64String).ToList(), logKeys, entry["data"]?.DeepClone());
        return Verify(bundle, logKeys, origin, witnesses);
    }

    /// <summary>
    /// <see cref="ProveAsync"/> again every <paramref name="every"/> while its answer is <see cref="EventProofResult.Pending"/>,
    /// until <paramref name="wait"/> has passed: a decision is witnessed only once a checkpoint covers it and the witnesses'
    /// next rounds have cosigned one, some 20 s after it was made with the default intervals.
    /// </summary>
    public static async Task<EventProofResult> ProveWaitingAsync(HttpClient broker, Guid eventId, IReadOnlyList<JsonObject> logKeys, string? origin,
        WitnessPolicy? witnesses, TimeSpan wait, TimeSpan every, TimeProvider clock, CancellationToken ct)
    {
        var deadline = clock.GetUtcNow() + wait;
        while (true)
        {
            var result = await ProveAsync(broker, eventId, logKeys, origin, witnesses, ct);
            if (!result.Pending || clock.GetUtcNow() + every > deadline)
            {
                return result;
            }
            await Task.Delay(every, clock, ct);
        }
    }

    /// <summary>
    /// Checks a proof on its own: the leaf names the event at its position and hashes to the recorded leaf hash (and, when
    /// the event's data is included, digests it), the checkpoint note is signed by <paramref name="logKeys"/>, the policy's
    /// quorum cosigned it and no cosignature by one of its witnesses fails, and the inclusion proof leads to its root.
    /// </summary>
    public static EventProofResult Verify(EventProofBundle bundle, IReadOnlyList<JsonObject> logKeys, string? origin, WitnessPolicy? witnesses)
    {
        var (index, leafText, leafHash) = (bundle.Entry.Index, bundle.Entry.Leaf, bundle.Entry.LeafHash);
        if (EntryCheck.Problem(index, bundle.EventId, leafText, leafHash) is { } problem)
        {
            return new EventProofResult(false, $"entry {index}: {problem}");
        }
        var leaf = LedgerLeaf.Decode(Convert.FromBase64String(leafText!));
        if (bundle.Data is { } data && !LedgerLeaf.DigestData(data.ToJsonString()).AsSpan().SequenceEqual(leaf.DataSha256))
        {
            return new EventProofResult(false, $"entry {index}: the event data in the proof is not what its leaf digests", leaf);
        }
        origin ??= bundle.Checkpoint[..Math.Max(0, bundle.Checkpoint.IndexOf('\n', StringComparison.Ordinal))];
        if (!CheckpointSigning.TryVerify(bundle.Checkpoint, origin, logKeys, out var checkpoint, out var error))
        {
            return new EventProofResult(false, $"the checkpoint is not signed by the log's keys: {error}", leaf);
        }
        IReadOnlyList<string> cosigners = [];
        if (witnesses is not null)
        {
            SignedNote.TryParse(bundle.Checkpoint, out var note);
            (cosigners, var failed) = witnesses.Cosigners(note, checkpoint);
            if (failed.Count > 0)
            {
                return new EventProofResult(false, $"checkpoint {checkpoint.Size}: the cosignature of {string.Join(", ", failed)} does not verify", leaf);
            }
            if (cosigners.Count < witnesses.Quorum)
            {
                return new EventProofResult(false, $"checkpoint {checkpoint.Size} is cosigned by {Named(cosigners)}, not by {witnesses.Quorum} of the {witnesses.Witnesses.Count} witnesses given", leaf);
            }
        }
        var path = bundle.Inclusion.Select(Convert.FromBase64String).ToList();
        return index < checkpoint.Size && ProofVerifier.VerifyInclusion(index, checkpoint.Size, Convert.FromBase64String(leafHash), path, checkpoint.RootHash)
            ? new EventProofResult(true, "", leaf, checkpoint.Size, Convert.ToBase64String(checkpoint.RootHash), cosigners, bundle)
            : new EventProofResult(false, $"entry {index} is not in checkpoint {checkpoint.Size}: its inclusion proof fails", leaf);
    }

    /// <summary>
    /// The note of the first checkpoint from <paramref name="from"/> on that the policy's quorum cosigned: witnesses cosign the
    /// checkpoints they see, which need not be the first one covering the entry. A cosignature by one of the policy's
    /// witnesses that does not verify stops the search there: <see cref="Verify"/> names it.
    /// </summary>
    private static async Task<(string? Note, string? Problem)> FirstWitnessedAsync(
        HttpClient broker, long from, string origin, IReadOnlyList<JsonObject> logKeys, WitnessPolicy witnesses, CancellationToken ct)
    {
        var (latest, most) = (0L, (IReadOnlyList<string>)[]);
        await foreach (var (_, note) in PublicLog.CheckpointsAsync(broker, from, ct))
        {
            if (!CheckpointSigning.TryVerify(note, origin, logKeys, out var checkpoint, out _) || !SignedNote.TryParse(note, out var parsed))
            {
                return (note, null);
            }
            var (cosigners, failed) = witnesses.Cosigners(parsed, checkpoint);
            if (failed.Count > 0 || cosigners.Count >= witnesses.Quorum)
            {
                return (note, null);
            }
            (latest, most) = (checkpoint.Size, cosigners);
        }
        return (null, $"no checkpoint covering the entry is cosigned by {witnesses.Quorum} of the {witnesses.Witnesses.Count} witnesses given"
            + (latest > 0 ? $" (the latest, of size {latest}, by {Named(most)}; witnesses cosign within their round: try again shortly)" : ""));
    }

    private static string Named(IReadOnlyList<string> witnesses) => witnesses.Count == 0 ? "none of them" : string.Join(", ", witnesses);

    private static long SizeOf(string note) =>
        SignedNote.TryParse(note, out var parsed) && Checkpoint.TryParse(parsed.Text, out var checkpoint)
            ? checkpoint.Size
            : throw new InvalidDataException("the broker's checkpoint is not a signed checkpoint note");
}
