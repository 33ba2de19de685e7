using System.Globalization;

namespace BalticAI.Sovereignty.Transparency.Checkpoints;

/// <summary>
/// A C2SP tlog-checkpoint body: origin line, decimal tree size line, base64 root hash line, each ending
/// in a newline. It is the text of a signed note.
/// </summary>
public sealed record Checkpoint(string Origin, long Size, byte[] RootHash)
{
    public string Body => $"{Origin}\n{Size.ToString(CultureInfo.InvariantCulture)}\n{Convert.ToBase64String(RootHash)}\n";

    public static bool TryParse(string body, out Checkpoint checkpoint)
    {
        checkpoint = null!;
        var lines = body.Split('\n');
        // Three lines and the empty string after the last newline; extension lines may follow the root.
        if (lines.Length < 4 || lines[^1] != "" || lines[0].Length == 0)
        {
            return false;
        }
        if (!long.TryParse(lines[1], NumberStyles.None, CultureInfo.InvariantCulture, out var size)
            || size.ToString(CultureInfo.InvariantCulture) != lines[1])
        {
            return false;
        }
        byte[] root;
        try
        {
            root = Convert.FromBase64String(lines[2]);
        }
        catch (FormatException)
        {
            return false;
        }
        if (root.Length != 32)
        {
            return false;
        }
        checkpoint = new Checkpoint(lines[0], size, root);
        return true;
    }
}
