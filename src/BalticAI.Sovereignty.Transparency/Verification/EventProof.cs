using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Transparency.Checkpoints;
using BalticAI.Sovereignty.Transparency.Leaves;
using BalticAI.Sovereignty.Transparency.Merkle;
using BalticAI.Sovereignty.Transparency.Witnessing;

namespace BalticAI.Sovereignty.Transparency.Verification;

/// <param name="Proven">Whether every check held; <paramref name="Reason"/> says which did not.</param>
/// <param name="Leaf">The entry's leaf: position, event, type, time and the digest of the event's data.</param>
/// <param name="CheckpointSize">The checkpoint the entry was proven in.</param>
/// <param name="Cosigners">With a witness policy, the witnesses whose cosignatures of that checkpoint verify.</param>
public sealed record EventProofResult(
    bool Proven, string Reason, LedgerLeaf? Leaf = null, long? CheckpointSize = null, string? RootHash = null, IReadOnlyList<string>? Cosigners = null);

/// <summary>
/// Proves that one event is in the log, as a transparency log's client proves an entry (Sigstore's `rekor-cli verify`):
/// the broker's entry for the event, whose leaf names the event and hashes to what the tree recorded; a checkpoint
/// signed by the log's keys (pinned by the caller, or the broker's own); with a witness policy, the first checkpoint
/// covering the entry that enough of the caller's witnesses cosigned; and the entry's inclusion proof against that
/// checkpoint's root. Only public routes are read, so anyone holding an event id (a grant names its decision's) can
/// check it without an account.
/// </summary>
public static class EventProof
{
    private const int CheckpointPage = 1000;

    public static async Task<EventProofResult> ProveAsync(
        HttpClient broker, Guid eventId, IReadOnlyList<JsonObject> logKeys, string? origin, WitnessPolicy? witnesses, CancellationToken ct)
    {
        using var response = await broker.GetAsync($"/ledger/entries/by-event/{eventId}", ct);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return new EventProofResult(false, $"event {eventId} is not in the ledger (the tree trails commits by a few seconds: try again shortly)");
        }
        response.EnsureSuccessStatusCode();
        var found = await response.Content.ReadFromJsonAsync<JsonObject>(ct) ?? throw new InvalidDataException("the entry response is empty");
        var entry = found["entry"]?.AsObject() ?? throw new InvalidDataException("the entry response has no entry");
        var index = entry["index"]?.GetValue<long>() ?? throw new InvalidDataException("the entry has no index");
        var leafText = entry["leaf"]?.GetValue<string>();
        var leafHash = entry["leafHash"]?.GetValue<string>() ?? throw new InvalidDataException("the entry has no leaf hash");
        if (EntryCheck.Problem(index, eventId, leafText, leafHash) is { } problem)
        {
            return new EventProofResult(false, $"entry {index}: {problem}");
        }
        var leaf = LedgerLeaf.Decode(Convert.FromBase64String(leafText!));
        if (found["checkpoint"]?["note"]?.GetValue<string>() is not { } coveringNote)
        {
            return new EventProofResult(false, $"no signed checkpoint covers entry {index} yet (checkpoints follow within seconds: try again shortly)", leaf);
        }
        origin ??= coveringNote[..coveringNote.IndexOf('\n', StringComparison.Ordinal)];
        var chosen = witnesses is null
            ? Signed(coveringNote, origin, logKeys, [])
            : await WitnessedAsync(broker, found["checkpoint"]!["size"]!.GetValue<long>(), origin, logKeys, witnesses, ct);
        if (chosen.Problem is { } refused)
        {
            return new EventProofResult(false, refused, leaf);
        }
        var checkpoint = chosen.Checkpoint!;
        var proof = await broker.GetFromJsonAsync<JsonObject>($"/ledger/proofs/inclusion/{index}?treeSize={checkpoint.Size}", ct);
        return ProofVerifier.VerifyInclusion(index, checkpoint.Size, Convert.FromBase64String(leafHash), ProofHashes.Of(proof, "inclusion"), checkpoint.RootHash)
            ? new EventProofResult(true, "", leaf, checkpoint.Size, Convert.ToBase64String(checkpoint.RootHash), chosen.Cosigners)
            : new EventProofResult(false, $"entry {index} is not in checkpoint {checkpoint.Size}: its inclusion proof fails", leaf);
    }

    private sealed record Choice(Checkpoint? Checkpoint, IReadOnlyList<string> Cosigners, string? Problem);

    private static Choice Signed(string note, string origin, IReadOnlyList<JsonObject> logKeys, IReadOnlyList<string> cosigners) =>
        CheckpointSigning.TryVerify(note, origin, logKeys, out var checkpoint, out var error)
            ? new Choice(checkpoint, cosigners, null)
            : new Choice(null, [], $"a checkpoint is not signed by the log's keys: {error}");

    /// <summary>
    /// The first checkpoint from <paramref name="from"/> on that the policy's quorum cosigned: witnesses cosign the checkpoints
    /// they see, which need not be the first one covering the entry. A cosignature that does not verify is a problem.
    /// </summary>
    private static async Task<Choice> WitnessedAsync(HttpClient broker, long from, string origin, IReadOnlyList<JsonObject> logKeys, WitnessPolicy witnesses, CancellationToken ct)
    {
        var (latest, most) = (0L, (IReadOnlyList<string>)[]);
        while (true)
        {
            var page = await broker.GetFromJsonAsync<JsonArray>($"/ledger/checkpoints?from={from}&count={CheckpointPage}", ct) ?? [];
            foreach (var item in page)
            {
                var note = item!["note"]!.GetValue<string>();
                var signed = Signed(note, origin, logKeys, []);
                if (signed.Checkpoint is not { } checkpoint)
                {
                    return signed with { Problem = $"checkpoint {item["size"]}: {signed.Problem}" };
                }
                SignedNote.TryParse(note, out var parsed);
                var (cosigners, failed) = witnesses.Cosigners(parsed, checkpoint);
                if (failed.Count > 0)
                {
                    return new Choice(null, [], $"checkpoint {checkpoint.Size}: the cosignature of {string.Join(", ", failed)} does not verify");
                }
                if (cosigners.Count >= witnesses.Quorum)
                {
                    return new Choice(checkpoint, cosigners, null);
                }
                (latest, most) = (checkpoint.Size, cosigners);
            }
            if (page.Count < CheckpointPage)
            {
                return new Choice(null, [], $"no checkpoint covering the entry is cosigned by {witnesses.Quorum} of the {witnesses.Witnesses.Count} witnesses given"
                    + (latest > 0 ? $" (the latest, of size {latest}, by {(most.Count == 0 ? "none of them" : string.Join(", ", most))}; witnesses cosign within their round: try again shortly)" : ""));
            }
            from = page[^1]!["size"]!.GetValue<long>() + 1;
        }
    }
}
