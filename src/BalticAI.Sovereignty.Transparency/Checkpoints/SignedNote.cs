namespace BalticAI.Sovereignty.Transparency.Checkpoints;

public sealed record NoteSignature(string KeyName, byte[] KeyId, byte[] Signature)
{
    public string Line => $"— {KeyName} {Convert.ToBase64String([.. KeyId, .. Signature])}";

    /// <summary>
    /// A key name as C2SP signed-note allows it: non-empty, without Unicode spaces (the line's space separates it from the
    /// signature) or `+` (a verifier key string is `name+hash+key`, so Go's note package and Sigsum's tools refuse such a
    /// name), and here without control characters either.
    /// </summary>
    public static bool IsKeyName(string? name) => !string.IsNullOrEmpty(name) && !name.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c == '+');

    /// <summary>What <see cref="IsKeyName"/> requires, for a message naming the setting that failed it.</summary>
    public const string KeyNameRule = "a signed note's key name must be non-empty, without spaces, control characters or '+' (C2SP signed-note)";

    public static bool TryParseLine(string line, out NoteSignature signature)
    {
        signature = null!;
        if (!line.StartsWith("— ", StringComparison.Ordinal))
        {
            return false;
        }
        var rest = line[2..];
        var space = rest.LastIndexOf(' ');
        if (space <= 0)
        {
            return false;
        }
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(rest[(space + 1)..]);
        }
        catch (FormatException)
        {
            return false;
        }
        if (bytes.Length <= 4)
        {
            return false;
        }
        signature = new NoteSignature(rest[..space], bytes[..4], bytes[4..]);
        return true;
    }
}

/// <summary>C2SP signed-note: the text (ending in a newline), a blank line, then one line per signature.</summary>
public sealed record SignedNote(string Text, IReadOnlyList<NoteSignature> Signatures)
{
    public override string ToString() => Text + "\n" + string.Concat(Signatures.Select(s => s.Line + "\n"));

    public static bool TryParse(string note, out SignedNote parsed)
    {
        parsed = null!;
        var split = note.LastIndexOf("\n\n", StringComparison.Ordinal);
        if (split < 0 || !note.EndsWith('\n') || note.Any(c => c < 0x20 && c != '\n'))
        {
            return false;
        }
        var signatures = new List<NoteSignature>();
        foreach (var line in note[(split + 2)..^1].Split('\n'))
        {
            if (!NoteSignature.TryParseLine(line, out var signature))
            {
                return false;
            }
            signatures.Add(signature);
        }
        parsed = new SignedNote(note[..(split + 1)], signatures);
        return signatures.Count > 0;
    }
}
