using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;

namespace BalticAI.Sovereignty.Transparency.Export;

/// <summary>What a client of the broker's public routes reads whole: the log's keys, and its checkpoints page by page.</summary>
public static class PublicLog
{
    /// <summary>The broker's largest page of checkpoints (`GET /ledger/checkpoints?count=`).</summary>
    public const int CheckpointPageSize = 1000;

    public static async Task<List<JsonObject>> KeysAsync(HttpClient http, CancellationToken ct) =>
        (await http.GetFromJsonAsync<JsonObject>("/.well-known/jwks.json", ct))?["keys"]?.AsArray().OfType<JsonObject>().ToList()
            ?? throw new InvalidDataException("the broker publishes no keys");

    /// <summary>Every checkpoint of tree size <paramref name="from"/> or more, oldest first, a page at a time until a page is not full.</summary>
    public static async IAsyncEnumerable<(long Size, string Note)> CheckpointsAsync(
        HttpClient http, long from, [EnumeratorCancellation] CancellationToken ct, int pageSize = CheckpointPageSize)
    {
        while (true)
        {
            var page = await http.GetFromJsonAsync<JsonArray>($"/ledger/checkpoints?from={from}&count={pageSize}", ct) ?? [];
            foreach (var checkpoint in page)
            {
                var size = checkpoint!["size"]!.GetValue<long>();
                yield return (size, checkpoint["note"]!.GetValue<string>());
                from = size + 1;
            }
            if (page.Count < pageSize)
            {
                yield break;
            }
        }
    }
}
