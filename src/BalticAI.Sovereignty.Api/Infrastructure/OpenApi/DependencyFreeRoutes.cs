namespace BalticAI.Sovereignty.Api.Infrastructure.OpenApi;

/// <summary>
/// The operations that answer from what the broker loaded at start, so neither PostgreSQL, the policy engine nor the
/// key store being down can make them answer 503; every other operation declares it (<see cref="StandardResponses"/>).
/// Keyed as the OpenAPI document names an operation: method and path template.
/// </summary>
public static class DependencyFreeRoutes
{
    public static readonly IReadOnlyDictionary<string, string> Reasons = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["GET /me"] = "reads the validated token and the tenant map (configuration)",
        ["GET /tenants"] = "lists the tenant map (configuration)",
        ["GET /schemas/{name}.schema.json"] = "serves the request schemas read from disk at start",
    };

    public static bool Contains(string method, string path) => Reasons.ContainsKey(Key(method, path));

    public static string Key(string method, string path) => $"{method.ToUpperInvariant()} {path}";
}
