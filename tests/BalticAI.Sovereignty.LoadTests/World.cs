using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Tests.Shared;

namespace BalticAI.Sovereignty.LoadTests;

/// <summary>What the load asks about: one site, one job and many dataset versions, all registered through the public API.</summary>
public sealed record World(Guid JobId, IReadOnlyList<Guid> Datasets, string Policy)
{
    public static async Task<World> SeedAsync(HttpClient http, Tenants tenants, int datasets, CancellationToken ct)
    {
        var admin = tenants.Bearer(Tenants.EuAiOffice, "PolicyAdmin");
        var trainer = tenants.Bearer(Tenants.PlCyfronet, "TrainingSystem");
        var owner = tenants.Bearer(Tenants.PlMinistry, "DataOwner");

        var policy = await ActivePolicyAsync(http, admin, ct);
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var site = await SendAsync(http, HttpMethod.Post, "/sites", new JsonObject
        {
            ["code"] = $"pl-krakow-load-{suffix}",
            ["name"] = "Load test site",
            ["country"] = "PL",
            ["operator"] = "pl-cyfronet",
            ["accreditations"] = new JsonArray(),
        }, admin, HttpStatusCode.Created, ct);
        var job = await SendAsync(http, HttpMethod.Post, "/training-jobs", new JsonObject
        {
            ["operator"] = "pl-cyfronet",
            ["purpose"] = "research",
            ["commercial"] = false,
            ["generalPurposeModel"] = false,
            ["siteId"] = site.Body["id"]!.GetValue<string>(),
            ["model"] = new JsonObject { ["name"] = "bielik-load", ["version"] = "0.1", ["licence"] = "Apache-2.0" },
            ["plannedStart"] = "2026-01-01",
            ["plannedEnd"] = "2030-12-31",
        }, trainer, HttpStatusCode.Created, ct);
        var ids = new List<Guid>();
        for (var i = 0; i < datasets; i++)
        {
            var registered = await SendAsync(http, HttpMethod.Post, "/datasets", Terms($"Load corpus {suffix}-{i}"), owner, HttpStatusCode.Created, ct);
            var id = registered.Body["id"]!.GetValue<string>();
            await SendAsync(http, HttpMethod.Post, $"/datasets/{id}/versions", new JsonObject
            {
                ["digest"] = "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(id))),
                ["sizeBytes"] = 1_000_000,
                ["tokens"] = 250_000,
                ["languages"] = new JsonArray("pl"),
            }, owner, HttpStatusCode.Created, ct, registered.ETag);
            ids.Add(Guid.Parse(id));
        }
        return new World(Guid.Parse(job.Body["id"]!.GetValue<string>()), ids, policy);
    }

    /// <summary>
    /// The broker records the shipped bundle in policies/ as active at start when it compiles and its tests
    /// pass; decisions are measured under it then, else under the test bundle, and the report says which.
    /// </summary>
    private static async Task<string> ActivePolicyAsync(HttpClient http, AuthenticationHeaderValue admin, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/policies/active") { Headers = { Authorization = admin } };
            using var response = await http.SendAsync(request, ct);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                var shipped = JsonNode.Parse(await response.Content.ReadAsStringAsync(ct))!;
                return $"the shipped bundle in policies/ (revision {shipped["revision"]})";
            }
            await Task.Delay(500, ct);
        }
        var revision = $"load-test-{Guid.NewGuid():N}";
        await SendAsync(http, HttpMethod.Post, "/policies/bundles", TestPolicyBundle.Create(revision), admin, HttpStatusCode.Created, ct);
        return "the test bundle of DecisionWorld.cs (the shipped bundle in policies/ was not active after 10 s; the broker log says why)";
    }

    /// <summary>Public transcripts under CC-BY, stored in Poland, origin documented: the ordinary case, which the shipped policy allows.</summary>
    private static JsonObject Terms(string title) => new()
    {
        ["title"] = title,
        ["controller"] = "Kancelaria Sejmu",
        ["contact"] = "dane@sejm.example",
        ["sovereignty"] = new JsonObject { ["originCountry"] = "PL", ["storage"] = new JsonObject { ["country"] = "PL" } },
        ["origin"] = new JsonObject
        {
            ["sourceType"] = "public",
            ["sourceUri"] = "https://orka.sejm.gov.pl/",
            ["collectionMethod"] = "Export of published transcripts",
            ["preparationSteps"] = new JsonArray("speaker attribution", "deduplication"),
            ["collectionPeriod"] = new JsonObject { ["from"] = "2020-01-01", ["to"] = "2024-12-31" },
        },
        ["licensing"] = new JsonObject { ["licence"] = "CC-BY-4.0", ["copyrightBasis"] = "public-domain" },
        ["personalData"] = new JsonObject { ["containsPersonalData"] = false },
        ["content"] = new JsonObject { ["modality"] = "text" },
    };

    /// <summary>Seeding stays within the broker's per-caller budgets (small ones in the flood mode): a 429 waits its Retry-After.</summary>
    private static async Task<(JsonNode Body, string? ETag)> SendAsync(HttpClient http, HttpMethod method, string path, JsonNode? body,
        AuthenticationHeaderValue auth, HttpStatusCode expected, CancellationToken ct, string? ifMatch = null)
    {
        while (true)
        {
            using var request = new HttpRequestMessage(method, path);
            request.Headers.Authorization = auth;
            if (body is not null)
            {
                request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
            }
            if (ifMatch is not null)
            {
                request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
            }
            using var response = await http.SendAsync(request, ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1), ct);
                continue;
            }
            if (response.StatusCode != expected)
            {
                throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {text}");
            }
            return (JsonNode.Parse(text)!, response.Headers.ETag?.ToString());
        }
    }
}
