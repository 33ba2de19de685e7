using System.Text.Json;

namespace BalticAI.Sovereignty.Transparency.Export;

/// <summary>
/// Exports a live broker's ledger over its public API: JWKS, every checkpoint (in pages), then every entry up to
/// the tree size at the start, in pages. Event data and headers are included where the caller's token may read them.
/// </summary>
public static class LedgerExporter
{
    public const int PageSize = 10_000;

    /// <param name="checkpointPageSize">Checkpoints asked for per request; the broker's largest page unless a test pages in small steps.</param>
    public static async Task<long> ExportAsync(HttpClient http, Stream output, IProgress<(long Done, long Total)>? progress, CancellationToken ct,
        int checkpointPageSize = PublicLog.CheckpointPageSize)
    {
        var keys = await PublicLog.KeysAsync(http, ct);
        var notes = await PublicLog.CheckpointsAsync(http, 0, ct, checkpointPageSize).ToListAsync(ct);
        var origin = notes.Count > 0 ? notes[0].Note[..notes[0].Note.IndexOf('\n')] : "";
        await using var writer = new LedgerExportWriter(output);
        writer.WriteHeader(new ExportHeader(origin, keys));
        foreach (var (size, note) in notes)
        {
            writer.WriteCheckpoint(size, note);
        }
        long from = 0, total = long.MaxValue;
        while (from < total)
        {
            using var page = JsonDocument.Parse(await http.GetStringAsync($"/ledger/entries?from={from}&count={PageSize}", ct));
            total = Math.Min(total, page.RootElement.GetProperty("treeSize").GetInt64());
            var entries = page.RootElement.GetProperty("entries");
            if (entries.GetArrayLength() == 0)
            {
                break;
            }
            foreach (var entry in entries.EnumerateArray())
            {
                var index = entry.GetProperty("index").GetInt64();
                if (index >= total)
                {
                    break;
                }
                // Data is never null in a readable row, so it says whether the caller may read; headers may be JSON null.
                var data = entry.TryGetProperty("data", out var d) && d.ValueKind != JsonValueKind.Null ? d.GetRawText() : null;
                writer.WriteEntry(new ExportEntry(
                    index,
                    entry.GetProperty("leaf") is { ValueKind: JsonValueKind.String } leaf ? leaf.GetBytesFromBase64() : null,
                    entry.GetProperty("leafHash").GetBytesFromBase64(),
                    data,
                    data is not null && entry.TryGetProperty("headers", out var headers) ? headers.GetRawText() : null));
                from = index + 1;
            }
            progress?.Report((from, total));
        }
        return from;
    }
}
