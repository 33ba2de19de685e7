using System.Text.Json;
using System.Text.Json.Nodes;

namespace BalticAI.Sovereignty.Transparency.Export;

/// <summary>
/// The offline export (docs/ledger-format.md, "Export file"): NDJSON with a header line (origin and the
/// log's public keys), one line per signed checkpoint, then one line per entry in index order.
/// </summary>
public static class LedgerExportFormat
{
    /// <summary>Version 2 adds each entry's event headers, which format 2 leaves digest.</summary>
    public const string Version = "balticai-ledger-export/v2";

    /// <summary>Exports written before the headers: their entries carry no headers to check, and read as before.</summary>
    public const string DataOnlyVersion = "balticai-ledger-export/v1";
}

public sealed record ExportHeader(string Origin, IReadOnlyList<JsonObject> Keys);

/// <summary>
/// An entry line: the leaf bytes (null when the event row is gone), the hash the tree recorded, and the
/// data and headers if the exporter could read them.
/// </summary>
public sealed record ExportEntry(long Index, byte[]? Leaf, byte[]? LeafHash, string? Data, string? Headers = null);

/// <summary>Writes an export one line at a time, so exports of any size stream.</summary>
public sealed class LedgerExportWriter(Stream output) : IAsyncDisposable
{
    private readonly Stream _output = new BufferedStream(output, 1 << 16);
    private static readonly byte[] NewLine = "\n"u8.ToArray();

    // Base64 '+' stays as it is instead of \u002B, so the reader's fast path can decode in place.
    private static readonly JsonWriterOptions Options = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public void WriteHeader(ExportHeader header) => WriteLine(writer =>
    {
        writer.WriteString("format", LedgerExportFormat.Version);
        writer.WriteString("origin", header.Origin);
        writer.WritePropertyName("keys");
        new JsonArray(header.Keys.Select(k => (JsonNode)k.DeepClone()).ToArray()).WriteTo(writer);
    });

    public void WriteCheckpoint(long size, string note) => WriteLine(writer =>
    {
        writer.WriteNumber("checkpoint", size);
        writer.WriteString("note", note);
    });

    public void WriteEntry(ExportEntry entry) => WriteLine(writer =>
    {
        writer.WriteNumber("index", entry.Index);
        if (entry.Leaf is null)
        {
            writer.WriteNull("leaf");
        }
        else
        {
            writer.WriteBase64String("leaf", entry.Leaf);
        }
        if (entry.LeafHash is not null)
        {
            writer.WriteBase64String("leafHash", entry.LeafHash);
        }
        if (entry.Data is not null)
        {
            writer.WritePropertyName("data");
            writer.WriteRawValue(entry.Data, skipInputValidation: true);
        }
        if (entry.Headers is not null)
        {
            writer.WritePropertyName("headers");
            writer.WriteRawValue(entry.Headers, skipInputValidation: true);
        }
    });

    private void WriteLine(Action<Utf8JsonWriter> body)
    {
        using (var writer = new Utf8JsonWriter(_output, Options))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }
        _output.Write(NewLine);
    }

    public async ValueTask DisposeAsync()
    {
        await _output.FlushAsync();
        await _output.DisposeAsync();
    }
}
