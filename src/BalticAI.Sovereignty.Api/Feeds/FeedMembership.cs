using BalticAI.Sovereignty.Api.Ledger;
using BalticAI.Sovereignty.Contracts.Feeds;

namespace BalticAI.Sovereignty.Api.Feeds;

/// <summary>
/// An event belongs to a country's feed when its data originate, are stored or are processed there
/// (<see cref="ILedgerEvent.Countries"/>) or an organisation of that country acts; it always belongs
/// to the EU feed. Countries without a feed (e.g. a non-EEA recipient) reach the EU feed only.
/// </summary>
public static class FeedMembership
{
    public static IReadOnlyList<string> FeedsOf(ILedgerEvent ledgerEvent, string? actorCountry)
    {
        var feeds = new List<string>(FeedNames.All.Count);
        foreach (var country in FeedNames.Countries)
        {
            if (string.Equals(actorCountry, country, StringComparison.OrdinalIgnoreCase)
                || ledgerEvent.Countries.Contains(country, StringComparer.OrdinalIgnoreCase))
            {
                feeds.Add(country);
            }
        }
        feeds.Add(FeedNames.EuropeanUnion);
        return feeds;
    }
}
