using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Tests.Datasets;

namespace BalticAI.Sovereignty.Api.Tests.Decisions;

/// <summary>
/// The signed grants the tests' training systems were given, by grant id: a data plane presents the grant
/// it checked when it records a release, so the tests' data plane needs what their training system got.
/// </summary>
public static class GrantTokens
{
    /// <summary>Well-formed, and no grant's: what a data plane that never saw the grant would have to send.</summary>
    public const string Unknown = "eyJhbGciOiJFUzI1NiJ9.e30.c2lnbmF0dXJl";

    private static readonly ConcurrentDictionary<string, string> Tokens = new();

    /// <summary>Keeps the token of a grant from an access answer and returns the grant's id.</summary>
    public static string Remember(JsonNode grant)
    {
        var id = grant["id"]!.GetValue<string>();
        Tokens[id] = grant["token"]!.GetValue<string>();
        return id;
    }

    /// <summary>The body of `POST /grants/{id}/redemptions`, with the grant's token when a training system was given it.</summary>
    public static JsonObject Release(string grantId, long bytes, string digest = DatasetApi.Digest1) => new()
    {
        ["bytes"] = bytes,
        ["digest"] = digest,
        ["token"] = Tokens.TryGetValue(grantId, out var token) ? token : Unknown,
    };
}
