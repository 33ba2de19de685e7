using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Transparency.Checkpoints;
using BalticAI.Sovereignty.Transparency.Merkle;

namespace BalticAI.Sovereignty.Transparency.Witnessing;

public enum InclusionOutcome { NotYet, Proven, Problem }

/// <param name="Index">The event's ledger entry, once the broker names one.</param>
public sealed record InclusionVerdict(InclusionOutcome Outcome, long? Index, string Reason);

/// <summary>
/// Proves that an event a regulator was sent is in the log it witnessed: the broker's entry for the event, a leaf
/// that names the event and hashes to what the tree recorded, and an inclusion proof against a root this witness
/// cosigned (never a root the broker merely states). So a feed cannot carry an event the public history lacks,
/// and an event row changed since it was appended shows. Only public routes are read.
/// </summary>
public sealed class InclusionCheck(HttpClient broker)
{
    public async Task<InclusionVerdict> CheckAsync(Guid eventId, Checkpoint cosigned, CancellationToken ct)
    {
        using var response = await broker.GetAsync($"ledger/entries/by-event/{eventId}", ct);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            // An event this regulator was sent that the log will never hold is a problem, not a wait.
            return EntryCheck.NeverInLog(response)
                ? new InclusionVerdict(InclusionOutcome.Problem, null, "the broker's log does not hold the event, and no such event is recorded past its tree")
                : new InclusionVerdict(InclusionOutcome.NotYet, null, "the broker's tree does not hold the event yet");
        }
        response.EnsureSuccessStatusCode();
        var entry = (await response.Content.ReadFromJsonAsync<JsonObject>(ct))?["entry"] as JsonObject
            ?? throw new InvalidDataException("the entry response has no entry");
        var index = entry["index"]?.GetValue<long>() ?? throw new InvalidDataException("the entry has no index");
        var leafHash = entry["leafHash"]?.GetValue<string>() ?? throw new InvalidDataException("the entry has no leaf hash");
        if (EntryCheck.Problem(index, eventId, entry["leaf"]?.GetValue<string>(), leafHash) is { } problem)
        {
            return new InclusionVerdict(InclusionOutcome.Problem, index, problem);
        }
        if (index >= cosigned.Size)
        {
            return new InclusionVerdict(InclusionOutcome.NotYet, index, $"entry {index} is beyond the cosigned checkpoint of size {cosigned.Size}");
        }
        var hashes = ProofHashes.Of(await broker.GetFromJsonAsync<JsonObject>($"ledger/proofs/inclusion/{index}?treeSize={cosigned.Size}", ct), "inclusion");
        return ProofVerifier.VerifyInclusion(index, cosigned.Size, Convert.FromBase64String(leafHash), hashes, cosigned.RootHash)
            ? new InclusionVerdict(InclusionOutcome.Proven, index, "")
            : new InclusionVerdict(InclusionOutcome.Problem, index, $"entry {index} is not in the cosigned checkpoint of size {cosigned.Size}: its inclusion proof fails");
    }
}
