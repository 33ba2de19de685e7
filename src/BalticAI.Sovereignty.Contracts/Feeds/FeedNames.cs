namespace BalticAI.Sovereignty.Contracts.Feeds;

/// <summary>
/// The five regulator feeds. A country feed carries every event that concerns that country; the EU
/// feed carries every event (the EU AI Office oversees general-purpose models everywhere).
/// </summary>
public static class FeedNames
{
    public const string Poland = "PL";
    public const string Estonia = "EE";
    public const string Lithuania = "LT";
    public const string Latvia = "LV";
    public const string EuropeanUnion = "EU";

    public static readonly IReadOnlyList<string> Countries = [Poland, Estonia, Lithuania, Latvia];

    public static readonly IReadOnlyList<string> All = [.. Countries, EuropeanUnion];

    public static bool IsFeed(string name) => All.Contains(name, StringComparer.Ordinal);

    /// <summary>CloudEvents `source` of a feed; `id` is unique within it.</summary>
    public static string Source(string feed) => "/feeds/" + feed;
}
