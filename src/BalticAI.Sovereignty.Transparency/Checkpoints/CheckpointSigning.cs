using System.Text;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Security;

namespace BalticAI.Sovereignty.Transparency.Checkpoints;

/// <summary>Signs checkpoints with the broker's <see cref="ISigner"/> and verifies them against its JWKS.</summary>
public static class CheckpointSigning
{
    /// <summary>The signed note of <paramref name="checkpoint"/>; the key name is the origin, as tlog-checkpoint recommends.</summary>
    public static async Task<SignedNote> SignAsync(Checkpoint checkpoint, ISigner signer, CancellationToken ct)
    {
        var text = checkpoint.Body;
        var result = await signer.SignAsync(Encoding.UTF8.GetBytes(text), ct);
        var keys = await signer.GetVerificationKeysAsync(ct);
        var jwk = keys.FirstOrDefault(k => k["kid"]?.GetValue<string>() == result.KeyId)
            ?? throw new SigningUnavailableException($"signing key {result.KeyId} is not among the published keys");
        var key = EcdsaNoteKey.FromJwk(checkpoint.Origin, jwk);
        return new SignedNote(text, [new NoteSignature(checkpoint.Origin, key.KeyId, EcdsaNoteKey.ToDer(result.Signature))]);
    }

    /// <summary>
    /// Verifies a checkpoint note from <paramref name="origin"/>: at least one signature by a known key
    /// must verify and none by a known key may fail (C2SP signed-note); unknown keys are ignored.
    /// </summary>
    public static bool TryVerify(string note, string origin, IEnumerable<JsonObject> jwks, out Checkpoint checkpoint, out string error)
    {
        checkpoint = null!;
        if (!SignedNote.TryParse(note, out var parsed))
        {
            error = "not a signed note";
            return false;
        }
        if (!Checkpoint.TryParse(parsed.Text, out checkpoint))
        {
            error = "not a checkpoint";
            return false;
        }
        if (checkpoint.Origin != origin)
        {
            error = $"origin '{checkpoint.Origin}' is not '{origin}'";
            return false;
        }
        var keys = jwks.Select(j => EcdsaNoteKey.TryFromJwk(origin, j, out var key) ? key : null).OfType<EcdsaNoteKey>().ToList();
        var message = Encoding.UTF8.GetBytes(parsed.Text);
        var verified = 0;
        foreach (var signature in parsed.Signatures)
        {
            foreach (var key in keys.Where(k => k.Matches(signature)))
            {
                if (!key.Verify(message, signature.Signature))
                {
                    error = "a signature by a known key does not verify";
                    return false;
                }
                verified++;
            }
        }
        error = verified > 0 ? "" : "no signature by a known key";
        return verified > 0;
    }
}
