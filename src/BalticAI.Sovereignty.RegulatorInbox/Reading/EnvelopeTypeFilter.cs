using System.Text.RegularExpressions;
using BalticAI.Sovereignty.Contracts.Feeds;

namespace BalticAI.Sovereignty.RegulatorInbox.Reading;

/// <summary>
/// `GET /inbox?type=`: the whole CloudEvents type (`eu.baltic-ai.sovereignty.access-refused`) or its event name alone
/// (`access-refused`), so that a regulator can page through one kind of event (every refused request, every revocation)
/// without reading the whole feed.
/// </summary>
public static partial class EnvelopeTypeFilter
{
    /// <summary>The full type for <paramref name="given"/>; false when it is not an event name in kebab case.</summary>
    public static bool TryRead(string given, out string type)
    {
        var name = given.StartsWith(FeedEnvelopeFields.TypePrefix, StringComparison.Ordinal) ? given[FeedEnvelopeFields.TypePrefix.Length..] : given;
        type = FeedEnvelopeFields.TypePrefix + name;
        return EventName().IsMatch(name);
    }

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex EventName();
}
