using BalticAI.Sovereignty.Transparency.Checkpoints;

namespace BalticAI.Sovereignty.Transparency.Verification;

/// <summary>
/// The witnesses an auditor trusts, with their keys obtained from the witnesses themselves, and how many of them must
/// have cosigned a checkpoint for it to count as witnessed (a k-of-n policy, as sigsum and Go's checksum database
/// clients apply): a history those witnesses saw cannot have been shown to them differently than to the auditor.
/// </summary>
public sealed record WitnessPolicy(IReadOnlyList<EcdsaNoteKey> Witnesses, int Quorum)
{
    /// <summary>Reads `name=base64 SubjectPublicKeyInfo` (the key the inbox logs and `balticai ledger witness-key` prints).</summary>
    public static EcdsaNoteKey ParseWitness(string text)
    {
        var eq = text.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0 || eq == text.Length - 1)
        {
            throw new FormatException($"'{text}' is not name=key (the witness's name and its base64 SubjectPublicKeyInfo)");
        }
        var (name, key) = (text[..eq], text[(eq + 1)..]);
        if (!NoteSignature.IsKeyName(name))
        {
            throw new FormatException($"'{name}' is not a witness name: {NoteSignature.KeyNameRule}");
        }
        return EcdsaNoteKey.IsP256SubjectPublicKeyInfo(key)
            ? EcdsaNoteKey.FromSubjectPublicKeyInfo(name, key)
            : throw new FormatException($"the key of witness {name} is not the base64 DER SubjectPublicKeyInfo of a P-256 key");
    }

    /// <summary>
    /// The policy's witnesses whose cosignature of <paramref name="checkpoint"/> in <paramref name="note"/> verifies, in name
    /// order, and those whose line does not verify (a line copied from another checkpoint, or forged), which is a problem
    /// whatever the quorum.
    /// </summary>
    public (IReadOnlyList<string> Cosigners, IReadOnlyList<string> Failed) Cosigners(SignedNote note, Checkpoint checkpoint)
    {
        var cosigners = new SortedSet<string>(StringComparer.Ordinal);
        var failed = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var signature in note.Signatures)
        {
            foreach (var witness in Witnesses.Where(w => w.Matches(signature)))
            {
                (Witnessing.Cosignature.TryVerify(checkpoint, witness, signature, out _) ? cosigners : failed).Add(witness.Name);
            }
        }
        return ([.. cosigners], [.. failed]);
    }
}

/// <summary>The largest checkpoint the policy's quorum cosigned, and which of its witnesses did.</summary>
public sealed record WitnessedCheckpoint(long Size, IReadOnlyList<string> Witnesses);
