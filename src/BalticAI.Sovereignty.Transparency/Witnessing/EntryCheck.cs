using BalticAI.Sovereignty.Transparency.Leaves;
using BalticAI.Sovereignty.Transparency.Merkle;

namespace BalticAI.Sovereignty.Transparency.Witnessing;

/// <summary>
/// Checks one ledger entry as the broker serves it (`/ledger/entries`, `/ledger/entries/by-event/{id}`): the leaf it
/// recomputes from the event row as the row is now must hash to what the tree recorded when the entry was appended,
/// and must name the entry's own position and event. So a row deleted, altered or moved since shows.
/// </summary>
public static class EntryCheck
{
    /// <summary>
    /// Whether `/ledger/entries/by-event/{id}` said the log will never hold the event: a 404 without `Retry-After`, which
    /// the broker sends only when the event is neither in its tree nor recorded past it (with it: not in the tree yet).
    /// </summary>
    public static bool NeverInLog(HttpResponseMessage response) =>
        response.StatusCode == System.Net.HttpStatusCode.NotFound && response.Headers.RetryAfter is null;

    /// <returns>Why the entry fails, or null when its row still is what the tree recorded.</returns>
    public static string? Problem(long index, Guid? eventId, string? leaf, string leafHash)
    {
        if (leaf is null)
        {
            return "the event's row is missing from the broker's store";
        }
        var bytes = Convert.FromBase64String(leaf);
        if (Convert.ToBase64String(MerkleHash.Leaf(bytes)) != leafHash)
        {
            return "the event's row differs from what the tree recorded";
        }
        var decoded = LedgerLeaf.Decode(bytes);
        return decoded.Index != index || (eventId is { } id && decoded.EventId != id)
            ? $"entry {index} is not the event: its leaf names event {decoded.EventId} at entry {decoded.Index}"
            : null;
    }
}
