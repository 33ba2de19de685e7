using System.Text.Json.Nodes;

namespace BalticAI.Sovereignty.Transparency.Witnessing;

/// <summary>The `hashes` of a proof the broker answers (`/ledger/proofs/inclusion/{index}`, `/ledger/proofs/consistency`).</summary>
public static class ProofHashes
{
    /// <param name="kind">`inclusion` or `consistency`, to name the proof in the error.</param>
    public static IReadOnlyList<byte[]> Of(JsonObject? proof, string kind) =>
        (proof ?? throw new InvalidDataException($"empty {kind} proof"))["hashes"]?.AsArray().Select(h => Convert.FromBase64String(h!.GetValue<string>())).ToList()
            ?? throw new InvalidDataException($"the {kind} proof has no hashes");
}
