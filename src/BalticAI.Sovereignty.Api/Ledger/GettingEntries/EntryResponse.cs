using System.Text.Json;
using BalticAI.Sovereignty.Api.Ledger.Tree;

namespace BalticAI.Sovereignty.Api.Ledger.GettingEntries;

/// <summary>
/// A ledger entry. Leaf: base64 canonical leaf bytes recomputed from the event row as it is now (null when
/// the row is gone). LeafHash: base64 leaf hash the tree recorded when the entry was appended. Data: the
/// event data, only for callers allowed to read it.
/// </summary>
public sealed record EntryResponse(long Index, long Sequence, Guid? EventId, string? Leaf, string LeafHash, JsonElement? Data)
{
    public static EntryResponse From(EntryRow row, bool withData) => new(
        row.Index, row.Sequence, row.Event?.EventId,
        row.Event is { } e ? Convert.ToBase64String(LedgerTreeBuilder.ToLeaf(row.Index, e).Encode()) : null,
        Convert.ToBase64String(row.LeafHash),
        withData && row.Event is { } d ? JsonDocument.Parse(d.Data).RootElement.Clone() : null);
}
