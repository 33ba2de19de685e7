using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Azure;
using Azure.Identity;
using Microsoft.Extensions.Logging;

namespace BalticAI.Sovereignty.Security.KeyVault;

/// <summary>
/// ES256 signing with a Key Vault key: the private key never leaves the vault; each version of the key
/// is one signing key whose JWS <c>kid</c> is <c>{name}/{version}</c>. Public keys are read once per
/// version and cached; the list of versions is read again every <see cref="KeyVaultSigningOptions.RefreshInterval"/>
/// and whenever an unknown kid is asked for. Whatever the vault cannot do becomes
/// <see cref="SigningUnavailableException"/>, which the broker answers with 503 and Retry-After.
/// </summary>
public sealed class KeyVaultSigner(KeyVaultKeysClient client, KeyVaultSigningOptions options, TimeProvider clock, ILogger<KeyVaultSigner> logger)
    : ISigner, ISigningKeyRevocations, IDisposable
{
    /// <summary>A verifier asking for unknown kids cannot make the broker list versions more often than this.</summary>
    private static readonly TimeSpan UnknownKidRefreshInterval = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<string, JsonObject> _publicKeys = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private volatile KeyVersionSet? _current;
    private volatile bool _reread;
    private DateTimeOffset _lastUnknownKidRefresh = DateTimeOffset.MinValue;

    public string Algorithm => "ES256";

    public async Task<SignatureResult> SignAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var current = await CurrentAsync(cancellationToken);
        var active = current.Active;
        var digest = SHA256.HashData(data.Span);
        Uri keyId;
        byte[] signature;
        try
        {
            (keyId, signature) = await GuardAsync("sign", ct => client.SignAsync(options.KeyName, active.Version, digest, ct), cancellationToken);
        }
        catch (SigningUnavailableException e) when (e.InnerException is KeyVaultRequestException { Status: 403 or 404 })
        {
            // The version may have been disabled (revoked) or deleted in the vault: read the versions again on the next call.
            _reread = true;
            throw;
        }
        if (!keyId.AbsolutePath.EndsWith("/" + active.Version, StringComparison.Ordinal) || !VerifiesWith(active.PublicKey!, digest, signature))
        {
            // The vault signed with another key than the one published under this kid: never hand that out.
            logger.LogError("Key Vault signed with {Returned} where {Expected} was asked for, or the signature does not verify", keyId, active.Id);
            await RefreshAsync(cancellationToken);
            throw new SigningUnavailableException($"Key Vault's signature does not verify with the published key {active.KeyId}");
        }
        return new SignatureResult(active.KeyId, signature);
    }

    public async Task<IReadOnlyList<JsonObject>> GetVerificationKeysAsync(CancellationToken cancellationToken) =>
        (await CurrentAsync(cancellationToken)).Published;

    public async Task<IReadOnlyList<SigningKeyRevoked>> GetRevokedKeysAsync(CancellationToken cancellationToken) =>
        (await CurrentAsync(cancellationToken)).Revoked;

    /// <summary>The published key with <paramref name="kid"/>, reading the versions again if it is not known yet.</summary>
    public async Task<JsonObject?> FindVerificationKeyAsync(string kid, CancellationToken cancellationToken)
    {
        var found = Find(await CurrentAsync(cancellationToken), kid);
        var now = clock.GetUtcNow();
        if (found is not null || now - _lastUnknownKidRefresh < UnknownKidRefreshInterval)
        {
            return found;
        }
        _lastUnknownKidRefresh = now;
        return Find(await RefreshAsync(cancellationToken), kid);
    }

    /// <summary>Makes a new version (Key Vault's rotate operation); it signs once <see cref="KeyVaultSigningOptions.ActivationDelay"/> has passed.</summary>
    public async Task<string> RotateAsync(CancellationToken cancellationToken)
    {
        var created = await GuardAsync("rotate", ct => client.RotateKeyAsync(options.KeyName, ct), cancellationToken);
        await RefreshAsync(cancellationToken);
        return created.KeyId;
    }

    /// <summary>
    /// Revokes a version (a compromised key): disabled in the vault, it signs no more and is listed as revoked.
    /// <paramref name="kid"/> is <c>{keyName}/{version}</c> or the bare version; anything else is refused
    /// (<see cref="ArgumentException"/>) before the vault is asked.
    /// </summary>
    public async Task RevokeAsync(string kid, CancellationToken cancellationToken)
    {
        var version = kid.StartsWith(options.KeyName + "/", StringComparison.Ordinal) ? kid[(options.KeyName.Length + 1)..] : kid;
        if (version.Length == 0 || !version.All(char.IsAsciiLetterOrDigit))
        {
            throw new ArgumentException($"'{kid}' is not a version of key {options.KeyName}; give {options.KeyName}/{{version}} or the version", nameof(kid));
        }
        await GuardAsync("revoke", ct => client.SetEnabledAsync(options.KeyName, version, enabled: false, ct), cancellationToken);
        await RefreshAsync(cancellationToken);
    }

    /// <summary>Reads the key's versions now, whatever the cache holds.</summary>
    public Task<KeyVersionSet> RefreshAsync(CancellationToken cancellationToken) => RefreshAsync(force: true, seen: null, cancellationToken);

    /// <summary>
    /// Unless <paramref name="force"/>d, callers that queued behind another's refresh take its result rather
    /// than list the versions again: every request in flight when the interval lapsed (or before the first
    /// read) would otherwise list them once more, one after the other, into the vault's throttling.
    /// </summary>
    private async Task<KeyVersionSet> RefreshAsync(bool force, KeyVersionSet? seen, CancellationToken cancellationToken)
    {
        await _refresh.WaitAsync(cancellationToken);
        try
        {
            if (!force && _current is { } fresher && !ReferenceEquals(fresher, seen) && !_reread)
            {
                return fresher;
            }
            var versions = await GuardAsync("list versions", ReadVersionsAsync, cancellationToken);
            var current = KeyVersionSet.Decide(versions, clock.GetUtcNow(), options.ActivationDelay, options.Retention);
            _current = current;
            _reread = false;
            return current;
        }
        finally
        {
            _refresh.Release();
        }
    }

    public void Dispose() => _refresh.Dispose();

    private async Task<KeyVersionSet> CurrentAsync(CancellationToken ct)
    {
        var current = _current;
        if (current is null)
        {
            return await RefreshAsync(force: false, seen: null, ct);
        }
        if (!_reread && clock.GetUtcNow() - current.ReadAt < options.RefreshInterval)
        {
            return current;
        }
        try
        {
            return await RefreshAsync(force: false, seen: current, ct);
        }
        catch (SigningUnavailableException e)
        {
            // Public keys do not change: keep publishing the last known set; signing fails on its own if the vault is away.
            logger.LogWarning(e, "Key Vault versions of {Key} not refreshed; using those read at {ReadAt}", options.KeyName, current.ReadAt);
            return current;
        }
    }

    private async Task<IReadOnlyList<KeyVaultKeyVersion>> ReadVersionsAsync(CancellationToken ct)
    {
        var listed = await ListOrCreateAsync(ct);
        var versions = new List<KeyVaultKeyVersion>(listed.Count);
        foreach (var version in listed)
        {
            versions.Add(version with { PublicKey = await PublicKeyAsync(version, ct) });
        }
        return versions;
    }

    private async Task<List<KeyVaultKeyVersion>> ListOrCreateAsync(CancellationToken ct)
    {
        try
        {
            var listed = await client.ListVersionsAsync(options.KeyName, ct).ToListAsync(ct);
            if (listed.Count > 0 || !options.CreateIfMissing)
            {
                return listed;
            }
        }
        catch (KeyVaultRequestException e) when (e.Code == "KeyNotFound" && options.CreateIfMissing)
        {
            // Created below: development vaults start empty.
        }
        logger.LogWarning("Creating Key Vault key {Key} (Signing:KeyVault:CreateIfMissing)", options.KeyName);
        return [await client.CreateEcKeyAsync(options.KeyName, ct)];
    }

    /// <summary>A version's public key never changes: read it once. A revoked version's may be unreadable; it is then listed without it.</summary>
    private async Task<JsonObject?> PublicKeyAsync(KeyVaultKeyVersion version, CancellationToken ct)
    {
        if (_publicKeys.TryGetValue(version.Version, out var known))
        {
            return known;
        }
        try
        {
            var read = await client.GetKeyAsync(version.Name, version.Version, ct);
            return _publicKeys.GetOrAdd(version.Version, read.PublicKey!);
        }
        catch (KeyVaultRequestException) when (!version.Enabled)
        {
            return null;
        }
    }

    private async Task<T> GuardAsync<T>(string operation, Func<CancellationToken, Task<T>> call, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.OperationTimeout);
        try
        {
            return await call(timeout.Token);
        }
        catch (KeyVaultRequestException e) when (e.IsMisconfiguration)
        {
            logger.LogError(e, "Key Vault refused to {Operation} key {Key}: check the vault, the key name and the broker identity's role (Key Vault Crypto User)", operation, options.KeyName);
            throw new SigningUnavailableException($"Key Vault refused to {operation}: {e.Code}", e);
        }
        catch (AuthenticationFailedException e)
        {
            logger.LogError(e, "No token for Key Vault ({Credential} credential)", options.Credential);
            throw new SigningUnavailableException($"no token for Key Vault to {operation}", e);
        }
        // Azure.Core's retry policy reports a transport that failed every try as an AggregateException of them.
        catch (Exception e) when (e is KeyVaultRequestException or RequestFailedException or HttpRequestException or AggregateException
            || e is OperationCanceledException && !ct.IsCancellationRequested)
        {
            logger.LogWarning(e, "Key Vault could not {Operation} key {Key}", operation, options.KeyName);
            throw new SigningUnavailableException($"Key Vault could not {operation} now", e) { RetryAfter = (e as KeyVaultRequestException)?.RetryAfter };
        }
    }

    private static JsonObject? Find(KeyVersionSet set, string kid) =>
        set.Published.FirstOrDefault(k => k["kid"]?.GetValue<string>() == kid);

    private static bool VerifiesWith(JsonObject jwk, byte[] digest, byte[] signature)
    {
        using var key = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = Base64Url.Decode(jwk["x"]!.GetValue<string>()), Y = Base64Url.Decode(jwk["y"]!.GetValue<string>()) },
        });
        return signature.Length == 64 && key.VerifyHash(digest, signature, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }
}
