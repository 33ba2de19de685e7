using System.Text.Json;
using System.Text.Json.Nodes;

namespace BalticAI.Sovereignty.Transparency.Verification;

/// <param name="Leaf">The leaf bytes (base64) the broker recomputed from the event row; <paramref name="LeafHash"/> what the tree recorded.</param>
public sealed record EventProofEntry(long Index, string? Leaf, string LeafHash);

/// <summary>
/// One event's proof as a file (`balticai ledger prove --output`), as a Sigstore bundle keeps an entry's: the entry, the
/// signed checkpoint note with its cosignatures, the inclusion path to its root, the log's keys as the broker published
/// them when the proof was taken, and the event's data when the prover could read it. <see cref="EventProof.Verify"/>
/// checks it again without the broker, against keys and witnesses the verifier trusts.
/// </summary>
public sealed record EventProofBundle(
    string Format, Guid EventId, EventProofEntry Entry, string Checkpoint, IReadOnlyList<string> Inclusion, IReadOnlyList<JsonObject> Keys, JsonNode? Data)
{
    public const string CurrentFormat = "balticai-event-proof/v1";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public string Write() => JsonSerializer.Serialize(this, Json);

    /// <exception cref="InvalidDataException">Not a proof of this format.</exception>
    public static EventProofBundle Read(string text)
    {
        EventProofBundle? bundle;
        try
        {
            bundle = JsonSerializer.Deserialize<EventProofBundle>(text, Json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"not an event proof: {e.Message}", e);
        }
        return bundle switch
        {
            null => throw new InvalidDataException("not an event proof"),
            { Format: not CurrentFormat } => throw new InvalidDataException($"not an event proof of format {CurrentFormat}: {bundle.Format}"),
            { Entry: null } or { Checkpoint: null } or { Inclusion: null } or { Keys: null } => throw new InvalidDataException("the event proof lacks its entry, checkpoint, inclusion path or keys"),
            _ => bundle,
        };
    }
}
