using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace BalticAI.Sovereignty.Api.Infrastructure.Hardening;

/// <summary>
/// Bearer tokens the broker has already validated, and whose budget they draw from, until each token's
/// `exp`. It only ever lets a request be refused early: a token found here is still validated in full
/// before anything is admitted. Tokens are held as SHA-256 digests, so the memory of a running broker
/// holds no bearer token anyone could replay.
/// </summary>
internal sealed class KnownTokens(TimeProvider clock, int capacity)
{
    /// <summary>A full cache is swept at most this often; between sweeps new tokens just take the normal path.</summary>
    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<TokenDigest, Entry> _entries = new();
    private long _lastSweepTicks;

    public int Count => _entries.Count;

    /// <summary>The holder (tenant/application) of a validated, unexpired token; null for any other token.</summary>
    public string? HolderOf(string token)
    {
        var digest = TokenDigest.Of(token);
        if (!_entries.TryGetValue(digest, out var entry))
        {
            return null;
        }
        if (entry.Expires <= clock.GetUtcNow())
        {
            _entries.TryRemove(KeyValuePair.Create(digest, entry));
            return null;
        }
        return entry.Holder;
    }

    /// <summary>Call only with a token that has just been validated and the holder it authenticated.</summary>
    public void Remember(string token, string holder, DateTimeOffset expires)
    {
        var now = clock.GetUtcNow();
        if (expires <= now)
        {
            return;
        }
        // Bounded: a full cache makes room only by dropping expired tokens; it never evicts a live one,
        // so a stream of fresh tokens cannot push a flooder's token out.
        if (_entries.Count >= capacity && !TrySweep(now))
        {
            return;
        }
        _entries[TokenDigest.Of(token)] = new Entry(holder, expires);
    }

    private bool TrySweep(DateTimeOffset now)
    {
        var last = Interlocked.Read(ref _lastSweepTicks);
        if (now.UtcTicks - last < SweepInterval.Ticks || Interlocked.CompareExchange(ref _lastSweepTicks, now.UtcTicks, last) != last)
        {
            return false;
        }
        foreach (var (digest, entry) in _entries)
        {
            if (entry.Expires <= now)
            {
                _entries.TryRemove(KeyValuePair.Create(digest, entry));
            }
        }
        return _entries.Count < capacity;
    }

    private sealed record Entry(string Holder, DateTimeOffset Expires);

    private readonly record struct TokenDigest(UInt128 First, UInt128 Second)
    {
        public static TokenDigest Of(string token)
        {
            Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(Encoding.UTF8.GetBytes(token), digest);
            return new TokenDigest(BinaryPrimitives.ReadUInt128LittleEndian(digest), BinaryPrimitives.ReadUInt128LittleEndian(digest[16..]));
        }
    }
}

internal static class BearerToken
{
    private const string Prefix = "Bearer ";

    /// <summary>The token exactly as the JWT bearer handler reads it from the Authorization header.</summary>
    public static string? Of(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (!authorization.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        var token = authorization[Prefix.Length..].Trim();
        return token.Length == 0 ? null : token;
    }
}
