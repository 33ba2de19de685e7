using System.Text;
using BalticAI.Sovereignty.Security;

namespace BalticAI.Sovereignty.Api.Decisions.Grants.ListingGrants;

/// <summary>
/// The list's order and its cursor, "g1|" + the last grant's id. Grant ids are UUIDv7 taken from the decision's time, so
/// the id order is the order grants were issued in, and an exact total order to continue from.
/// </summary>
public static class GrantCursor
{
    private const string Prefix = "g1|";

    public static string Encode(Guid id) => Base64Url.Encode(Encoding.UTF8.GetBytes(Prefix + id.ToString("N")));

    public static Guid? Decode(string cursor)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.Decode(cursor));
            return text.StartsWith(Prefix, StringComparison.Ordinal) && text.Length == Prefix.Length + 32
                && text[Prefix.Length..].All(char.IsAsciiHexDigitLower) ? Guid.ParseExact(text[Prefix.Length..], "N") : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
