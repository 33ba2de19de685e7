using System.Globalization;

namespace BalticAI.Sovereignty.Api.Infrastructure.Concurrency;

/// <summary>
/// A resource's ETag is its event-stream version, strong and quoted (`"3"`). Writes to an existing
/// resource must send it back in If-Match, so an owner never overwrites a change it has not seen.
/// </summary>
public static class ETags
{
    public static string Format(long version) => "\"" + version.ToString(CultureInfo.InvariantCulture) + "\"";

    public static void Set(HttpResponse response, long version) => response.Headers.ETag = Format(version);

    public enum IfMatchState { Missing, Malformed, Present }

    /// <summary>Reads one strong ETag from If-Match; weak tags, `*` and lists are refused as malformed.</summary>
    public static (IfMatchState State, long Version) ReadIfMatch(HttpRequest request)
    {
        var values = request.Headers.IfMatch;
        if (values.Count == 0 || string.IsNullOrWhiteSpace(values.ToString()))
        {
            return (IfMatchState.Missing, 0);
        }
        var text = values.Count == 1 ? values[0]!.Trim() : "";
        var digits = text.Length > 2 && text[0] == '"' && text[^1] == '"' ? text.AsSpan(1, text.Length - 2) : [];
        // long.TryParse takes trailing NULs for the end of the number, so "1\0" would pass as "1" without this.
        if (!digits.IsEmpty && !digits.ContainsAnyExceptInRange('0', '9')
            && long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var version)
            && version > 0)
        {
            return (IfMatchState.Present, version);
        }
        return (IfMatchState.Malformed, 0);
    }
}
