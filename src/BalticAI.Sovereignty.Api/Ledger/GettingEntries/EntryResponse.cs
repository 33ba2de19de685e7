using System.Text.Json;
using BalticAI.Sovereignty.Api.Ledger.Tree;

namespace BalticAI.Sovereignty.Api.Ledger.GettingEntries;

/// <summary>
/// A ledger entry. Leaf: base64 canonical leaf bytes recomputed from the event row as it is now (null when
/// the row is gone), in the format the entry was appended in. LeafHash: base64 leaf hash the tree recorded
/// when the entry was appended. Data and Headers: the event data and headers (who acted, pseudonymised),
/// only for callers allowed to read them; headers are JSON null for an event without any.
/// </summary>
public sealed record EntryResponse(long Index, long Sequence, Guid? EventId, string? Leaf, string LeafHash, JsonElement? Data, JsonElement? Headers)
{
    private static readonly JsonElement NoHeaders = JsonDocument.Parse("null").RootElement.Clone();

    public static EntryResponse From(EntryRow row, bool withData) => new(
        row.Index, row.Sequence, row.Event?.EventId,
        row.Event is { } e ? Convert.ToBase64String(LedgerTreeBuilder.ToLeaf(row.Index, e, row.Format).Encode()) : null,
        Convert.ToBase64String(row.LeafHash),
        withData && row.Event is { } d ? Parse(d.Data) : null,
        withData && row.Event is { } h ? h.Headers is null ? NoHeaders : Parse(h.Headers) : null);

    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
