using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace BalticAI.Sovereignty.RegulatorInbox.Verification;

/// <summary>A broker key version revoked at <paramref name="RevokedAt"/>; <paramref name="Jwk"/> verifies what it signed before.</summary>
public sealed record RevokedBrokerKey(string Kid, DateTimeOffset RevokedAt, JsonObject? Jwk);

/// <summary>The broker's published keys (JWKS) and the keys it revoked before their time.</summary>
public sealed record BrokerKeySet(IReadOnlyList<JsonObject> Keys, IReadOnlyList<RevokedBrokerKey> Revoked)
{
    /// <summary>Every key a signature may be checked with: published ones and revoked ones whose public key is known.</summary>
    public IEnumerable<JsonObject> VerificationKeys => Keys.Concat(Revoked.Select(r => r.Jwk).OfType<JsonObject>());

    public RevokedBrokerKey? RevokedOf(string kid) => Revoked.FirstOrDefault(r => r.Kid == kid);
}

/// <summary>The broker's keys. Unavailable keys are a transient failure, never a forgery.</summary>
public interface IBrokerKeys
{
    /// <exception cref="BrokerKeysUnavailableException">The keys cannot be fetched now.</exception>
    Task<BrokerKeySet> GetAsync(bool refresh, CancellationToken ct);
}

public sealed class BrokerKeysUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Fetches `GET {broker}/.well-known/jwks.json` and `/.well-known/revoked-keys.json` together, caches
/// them for the broker's `max-age` (5 min), and refetches early when asked, at most every few seconds.
/// The cache must expire even while every signature verifies: a revocation changes no signature.
/// </summary>
public sealed class HttpBrokerKeys(HttpClient http, IOptions<InboxOptions> options, TimeProvider clock) : IBrokerKeys
{
    private static readonly TimeSpan MinRefreshInterval = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private BrokerKeySet? _keys;
    private DateTimeOffset _fetchedAt;

    public async Task<BrokerKeySet> GetAsync(bool refresh, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            var age = clock.GetUtcNow() - _fetchedAt;
            if (_keys is null || age >= Lifetime || (refresh && age >= MinRefreshInterval))
            {
                var keys = await FetchAsync("/.well-known/jwks.json", "keys", ct);
                var revoked = await FetchAsync("/.well-known/revoked-keys.json", "revoked", ct);
                _keys = new BrokerKeySet(keys, revoked.Select(ToRevoked).ToList());
                _fetchedAt = clock.GetUtcNow();
            }
            return _keys;
        }
        finally
        {
            _gate.Release();
        }
    }

    private static RevokedBrokerKey ToRevoked(JsonObject entry) =>
        entry["kid"] is JsonValue kid && kid.TryGetValue<string>(out var id)
        && entry["revokedAt"] is JsonValue at && at.TryGetValue<string>(out var text)
        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var revokedAt)
            ? new RevokedBrokerKey(id, revokedAt, entry["jwk"] as JsonObject)
            : throw new BrokerKeysUnavailableException($"a revoked-keys entry without kid or revokedAt: {entry.ToJsonString()}");

    private async Task<IReadOnlyList<JsonObject>> FetchAsync(string path, string member, CancellationToken ct)
    {
        var address = new Uri(new Uri(options.Value.Broker), path);
        try
        {
            var document = JsonNode.Parse(await http.GetStringAsync(address, ct));
            return document?[member]?.AsArray().OfType<JsonObject>().ToList()
                ?? throw new BrokerKeysUnavailableException($"{address} holds no '{member}' list");
        }
        catch (Exception e) when (e is HttpRequestException or System.Text.Json.JsonException or InvalidOperationException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            throw new BrokerKeysUnavailableException($"cannot read {address}: {e.Message}", e);
        }
    }
}
