using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace BalticAI.Sovereignty.RegulatorInbox.Verification;

/// <summary>The broker's public keys (JWKS). Unavailable keys are a transient failure, never a forgery.</summary>
public interface IBrokerKeys
{
    /// <exception cref="BrokerKeysUnavailableException">The keys cannot be fetched now.</exception>
    Task<IReadOnlyList<JsonObject>> GetAsync(bool refresh, CancellationToken ct);
}

public sealed class BrokerKeysUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Fetches `GET {broker}/.well-known/jwks.json`, caches it and refetches at most every few seconds.</summary>
public sealed class HttpBrokerKeys(HttpClient http, IOptions<InboxOptions> options, TimeProvider clock) : IBrokerKeys
{
    private static readonly TimeSpan MinRefreshInterval = TimeSpan.FromSeconds(5);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IReadOnlyList<JsonObject>? _keys;
    private DateTimeOffset _fetchedAt;

    public async Task<IReadOnlyList<JsonObject>> GetAsync(bool refresh, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            var due = _keys is null || (refresh && clock.GetUtcNow() - _fetchedAt >= MinRefreshInterval);
            if (due)
            {
                _keys = await FetchAsync(ct);
                _fetchedAt = clock.GetUtcNow();
            }
            return _keys!;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<IReadOnlyList<JsonObject>> FetchAsync(CancellationToken ct)
    {
        var address = new Uri(new Uri(options.Value.Broker), "/.well-known/jwks.json");
        try
        {
            var jwks = JsonNode.Parse(await http.GetStringAsync(address, ct));
            return jwks?["keys"]?.AsArray().OfType<JsonObject>().ToList()
                ?? throw new BrokerKeysUnavailableException($"{address} holds no key set");
        }
        catch (Exception e) when (e is HttpRequestException or System.Text.Json.JsonException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            throw new BrokerKeysUnavailableException($"cannot read {address}: {e.Message}", e);
        }
    }
}
