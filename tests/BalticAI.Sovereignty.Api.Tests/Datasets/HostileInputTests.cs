using System.Net;
using System.Net.Http.Headers;
using System.Text;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using BalticAI.Sovereignty.Api.Tests.Platform;

namespace BalticAI.Sovereignty.Api.Tests.Datasets;

/// <summary>
/// Malformed and hostile bodies at every write route: each must be a 4xx problem document (never a
/// 500) and leave no event and no read-model change behind.
/// </summary>
public sealed class HostileInputTests(HostileInputTests.TargetBroker broker) : IClassFixture<HostileInputTests.TargetBroker>
{
    /// <summary>A broker holding one dataset the existing-dataset routes aim at.</summary>
    public sealed class TargetBroker : BrokerFactory
    {
        private readonly SemaphoreSlim _gate = new(1, 1);
        private (Guid Id, string ETag)? _target;

        public async Task<(Guid Id, string ETag)> TargetAsync(HttpClient owner)
        {
            await _gate.WaitAsync();
            try
            {
                return _target ??= await owner.RegisterAsync();
            }
            finally
            {
                _gate.Release();
            }
        }
    }

    public static readonly string[] Routes = ["register", "version", "terms", "restriction", "lifting", "withdrawal"];

    /// <summary>Name and raw UTF-8 body of each hostile payload.</summary>
    public static readonly (string Name, byte[] Body)[] Payloads =
    [
        ("empty body", []),
        ("truncated JSON", Utf8("{\"title\": ")),
        ("not JSON", Utf8("title=hello&owner=pl-mc")),
        ("trailing garbage", Utf8("{} {}")),
        ("JSON null", Utf8("null")),
        ("JSON array", Utf8("[]")),
        ("JSON string", Utf8("\"reason\"")),
        ("JSON number", Utf8("42")),
        ("deeply nested arrays", Utf8(new string('[', 50_000) + new string(']', 50_000))),
        ("deeply nested objects", Utf8(string.Concat(Enumerable.Repeat("{\"a\":", 10_000)) + "1" + new string('}', 10_000))),
        ("huge string", Utf8("{\"title\":\"" + new string('x', 900_000) + "\",\"reason\":\"owner-review\",\"digest\":\"x\"}")),
        ("wrong types", Utf8("{\"title\":5,\"reason\":7,\"digest\":[],\"sizeBytes\":\"big\",\"languages\":{}}")),
        ("number overflow", Utf8("{\"digest\":\"sha256:00\",\"sizeBytes\":1e400,\"languages\":[\"pl\"],\"reason\":\"owner-review\"}")),
        ("unknown members", Utf8("{\"reason\":\"owner-review\",\"__proto__\":{\"admin\":true},\"owner\":\"pl-wp\"}")),
        ("lone surrogate", Utf8("{\"title\":\"\\ud800\",\"reason\":\"owner-review\",\"note\":\"\\udc00x\"}")),
        ("lone surrogate in a name", Utf8("{\"\\ud800\":1}")),
        ("NUL character", Utf8("{\"title\":\"a\\u0000b\",\"reason\":\"owner-review\",\"note\":\"a\\u0000b\"}")),
        ("RTL override", Utf8("{\"title\":\"txt.\\u202Eexe\",\"reason\":\"owner-review\",\"note\":\"\\u202Egnp\"}")),
        ("invalid UTF-8", [.. Utf8("{\"reason\":\"owner-review\",\"note\":\""), 0xC3, 0x28, 0xFF, .. Utf8("\"}")]),
        ("enum by number", Utf8("{\"reason\":0}")),
    ];

    public static TheoryData<string, int> Cases()
    {
        var data = new TheoryData<string, int>();
        foreach (var route in Routes)
        {
            for (var i = 0; i < Payloads.Length; i++)
            {
                data.Add(route, i);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Hostile_payload_is_a_4xx_problem_and_writes_nothing(string route, int payload)
    {
        var owner = broker.ClientFor(TestTenants.PlMinistry, Roles.DataOwner);
        var (id, etag) = await broker.TargetAsync(owner);
        var before = await broker.CountWritesAsync();
        var (method, url, mediaType) = route switch
        {
            "register" => (HttpMethod.Post, "/datasets", "application/json"),
            "version" => (HttpMethod.Post, $"/datasets/{id}/versions", "application/json"),
            "terms" => (HttpMethod.Patch, $"/datasets/{id}/terms", "application/merge-patch+json"),
            "restriction" => (HttpMethod.Post, $"/datasets/{id}/restriction", "application/json"),
            "lifting" => (HttpMethod.Post, $"/datasets/{id}/restriction/lifting", "application/json"),
            _ => (HttpMethod.Post, $"/datasets/{id}/withdrawal", "application/json"),
        };
        var request = new HttpRequestMessage(method, url) { Content = new ByteArrayContent(Payloads[payload].Body) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(mediaType);
        request.Headers.TryAddWithoutValidation("If-Match", etag);

        var response = await owner.SendAsync(request);

        var status = (int)response.StatusCode;
        status.ShouldBeInRange(400, 499, $"{Payloads[payload].Name} at {route}: {await response.Content.ReadAsStringAsync()}");
        await ProblemAndOpenApiTests.ShouldBeProblemAsync(response, response.StatusCode);
        (await broker.CountWritesAsync()).ShouldBe(before);
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
