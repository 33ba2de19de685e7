using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using Npgsql;

namespace BalticAI.Sovereignty.Api.Tests.Datasets;

/// <summary>Request bodies and calls the dataset tests share.</summary>
public static class DatasetApi
{
    public const string Digest1 = "sha256:1111111111111111111111111111111111111111111111111111111111111111";
    public const string Digest2 = "sha256:2222222222222222222222222222222222222222222222222222222222222222";

    /// <summary>A valid registration body; tests change one thing at a time.</summary>
    public static JsonObject Terms(string title = "Polish parliamentary transcripts", string country = "PL", string sourceType = "public") => new()
    {
        ["title"] = title,
        ["controller"] = "Kancelaria Sejmu",
        ["contact"] = "dane@sejm.example",
        ["sovereignty"] = new JsonObject { ["originCountry"] = country, ["storage"] = new JsonObject { ["country"] = country } },
        ["origin"] = new JsonObject
        {
            ["sourceType"] = sourceType,
            ["collectionMethod"] = "Export of published transcripts",
            ["collectionPeriod"] = new JsonObject { ["from"] = "2020-01-01", ["to"] = "2024-12-31" },
            ["crawler"] = sourceType == "crawled" ? new JsonObject { ["userAgent"] = "TestBot/1.0" } : null,
        },
        ["licensing"] = new JsonObject { ["licence"] = "CC-BY-4.0", ["copyrightBasis"] = "public-domain" },
        ["personalData"] = new JsonObject { ["containsPersonalData"] = false },
        ["content"] = new JsonObject { ["modality"] = "text" },
    };

    public static JsonObject Version(string digest = Digest1) => new()
    {
        ["digest"] = digest,
        ["sizeBytes"] = 1_000_000,
        ["tokens"] = 250_000,
        ["languages"] = new JsonArray("pl"),
    };

    public static Task<HttpResponseMessage> SendAsync(this HttpClient client, HttpMethod method, string url, string? body,
        string? ifMatch = null, string contentType = "application/json", string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(method, url);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }
        return client.SendAsync(request);
    }

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string url, JsonNode body, string? ifMatch = null, string? idempotencyKey = null) =>
        client.SendAsync(HttpMethod.Post, url, body.ToJsonString(), ifMatch, idempotencyKey: idempotencyKey);

    public static Task<HttpResponseMessage> PatchTermsAsync(this HttpClient client, Guid id, JsonNode patch, string? ifMatch) =>
        client.SendAsync(HttpMethod.Patch, $"/datasets/{id}/terms", patch.ToJsonString(), ifMatch, "application/merge-patch+json");

    /// <summary>Registers a dataset and returns its id and ETag.</summary>
    public static async Task<(Guid Id, string ETag)> RegisterAsync(this HttpClient client, JsonObject? terms = null)
    {
        var response = await client.PostJsonAsync("/datasets", terms ?? Terms());
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var body = await ReadJsonAsync(response);
        return (Guid.Parse(body["id"]!.GetValue<string>()), response.Headers.ETag!.ToString());
    }

    public static async Task<JsonNode> ReadJsonAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    /// <summary>
    /// Dataset events and read-model rows of the fixture: the proof that nothing was written. (The broker
    /// records its policy bundle on its own at start, so the event count is of dataset streams only.)
    /// </summary>
    public static async Task<(long Events, long Datasets)> CountWritesAsync(this BrokerFactory broker)
    {
        _ = broker.Server; // starts the host, which creates the schema
        await using var connection = new NpgsqlConnection(TestServices.PostgresConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            $"select (select count(*) from {broker.Schema}.mt_events where type like 'dataset%'), (select count(*) from {broker.Schema}.mt_doc_datasetview)", connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }
}
