using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using BalticAI.Sovereignty.Transparency.Checkpoints;

namespace BalticAI.Sovereignty.Transparency.Witnessing;

/// <summary>
/// A witness's cosignature on a checkpoint, shaped like C2SP tlog-cosignature (cosignature/v1): the
/// signed message is "cosignature/v1\ntime &lt;t&gt;\n" followed by the checkpoint body, and the note
/// signature is key ID || 8-byte big-endian t || signature. Deviation: the signature is ECDSA P-256
/// (DER, key ID as <see cref="EcdsaNoteKey"/>) instead of Ed25519, which .NET does not ship.
/// </summary>
public static class Cosignature
{
    public static byte[] Message(Checkpoint checkpoint, long timestamp) =>
        Encoding.UTF8.GetBytes($"cosignature/v1\ntime {timestamp.ToString(CultureInfo.InvariantCulture)}\n{checkpoint.Body}");

    public static NoteSignature Create(Checkpoint checkpoint, EcdsaNoteKey publicKey, Func<byte[], byte[]> signDer, long timestamp)
    {
        var stamp = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(stamp, (ulong)timestamp);
        return new NoteSignature(publicKey.Name, publicKey.KeyId, [.. stamp, .. signDer(Message(checkpoint, timestamp))]);
    }

    /// <summary>Checks a cosignature line against the witness's key; returns its timestamp.</summary>
    public static bool TryVerify(Checkpoint checkpoint, EcdsaNoteKey witness, NoteSignature signature, out long timestamp)
    {
        timestamp = 0;
        if (!witness.Matches(signature) || signature.Signature.Length <= 8)
        {
            return false;
        }
        timestamp = (long)BinaryPrimitives.ReadUInt64BigEndian(signature.Signature);
        return witness.Verify(Message(checkpoint, timestamp), signature.Signature.AsSpan(8));
    }
}
