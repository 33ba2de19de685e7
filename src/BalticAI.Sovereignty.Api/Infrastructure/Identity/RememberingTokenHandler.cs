using System.Collections.Concurrent;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace BalticAI.Sovereignty.Api.Infrastructure.Identity;

/// <summary>
/// A token handler that remembers the bearer tokens it has fully validated. A training system sends the
/// same token with every request for an hour; without this each request paid a parse and an ECDSA
/// verification (about 0.1 ms, most of the broker's token cost). A remembered validation is reused only
/// <list type="bullet">
/// <item>for the very same token string, within one scheme (one handler per scheme's options);</item>
/// <item>before the token's expiry (a lapsed entry goes through full validation again, clock skew included);</item>
/// <item>while the key object that verified its signature is still one of the scheme's signing keys: a key
/// retired at Entra ID drops every token it signed at the next metadata refresh, and a refresh that
/// replaces the key objects simply costs one more full validation per token.</item>
/// </list>
/// Failed validations are never remembered, and parameters this cannot reason about (key resolvers,
/// replay detection, custom signature, lifetime or signing-key validators) bypass it. What runs after the handler, such as
/// Identity.Web's role check and the tenant allow-list, still runs on every request, on a copy of the
/// identity so that no request can change another's claims.
/// </summary>
public sealed class RememberingTokenHandler(TimeProvider clock, int capacity = RememberingTokenHandler.DefaultCapacity) : JsonWebTokenHandler
{
    /// <summary>About 10 MB at most: far more distinct live tokens than the broker's callers hold at once.</summary>
    public const int DefaultCapacity = 1_000;

    /// <summary>Longer strings are validated every time rather than kept in memory.</summary>
    private const int MaxRememberedLength = 16 * 1024;

    private readonly ConcurrentDictionary<string, Remembered> _validated = new(StringComparer.Ordinal);
    private long _hits;
    private long _misses;

    /// <summary>Validations answered from memory.</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>Full validations (first sight, expiry, a changed key set, or anything not remembered).</summary>
    public long Misses => Interlocked.Read(ref _misses);

    public int Count => _validated.Count;

    /// <summary>
    /// The signing-key check the scheme was configured with (Identity.Web's: the key's issuer in the key set
    /// must match the token's tenant). It reads only the token, the key and the key's metadata, all fixed
    /// while a hit's key object is unchanged, so its verdict can be reused; any other validator bypasses this.
    /// </summary>
    public IssuerSigningKeyValidatorUsingConfiguration? VettedKeyValidator { get; init; }

    /// <summary>
    /// Puts a remembering handler in place of each JSON web token handler of a scheme, keeping its claim
    /// mapping. Its clock is the system's, the one IdentityModel's own lifetime check reads, never a
    /// clock the application may have replaced.
    /// </summary>
    public static void Install(JwtBearerOptions jwt)
    {
        for (var i = 0; i < jwt.TokenHandlers.Count; i++)
        {
            if (jwt.TokenHandlers[i] is JsonWebTokenHandler original and not RememberingTokenHandler)
            {
                jwt.TokenHandlers[i] = new RememberingTokenHandler(TimeProvider.System)
                {
                    VettedKeyValidator = jwt.TokenValidationParameters.IssuerSigningKeyValidatorUsingConfiguration,
                    MapInboundClaims = original.MapInboundClaims,
                    InboundClaimTypeMap = new Dictionary<string, string>(original.InboundClaimTypeMap),
                    MaximumTokenSizeInBytes = original.MaximumTokenSizeInBytes,
                };
            }
        }
    }

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        if (token is null || validationParameters is null || !Rememberable(validationParameters))
        {
            return await base.ValidateTokenAsync(token!, validationParameters!);
        }
        if (_validated.TryGetValue(token, out var remembered))
        {
            if (clock.GetUtcNow().UtcDateTime < remembered.Token.ValidTo && await StillTrustedAsync(remembered.SigningKey, validationParameters))
            {
                Interlocked.Increment(ref _hits);
                return remembered.Fresh();
            }
            _validated.TryRemove(new KeyValuePair<string, Remembered>(token, remembered));
        }
        Interlocked.Increment(ref _misses);
        var result = await base.ValidateTokenAsync(token, validationParameters);
        if (result is { IsValid: true, ClaimsIdentity: { } identity, SecurityToken: JsonWebToken { SigningKey: { } key } validated }
            && validated.ValidTo > clock.GetUtcNow().UtcDateTime && token.Length <= MaxRememberedLength && Room())
        {
            // A copy of its own: the identity handed to this request may be read or changed while later hits copy.
            _validated[token] = new Remembered(validated, key, identity.Clone(), result.Issuer, result.TokenType);
        }
        return result;
    }

    private bool Rememberable(TokenValidationParameters parameters) =>
        parameters.RequireSignedTokens
        && parameters.ValidateLifetime
        && !parameters.ValidateTokenReplay
        && parameters.IssuerSigningKeyResolver is null
        && parameters.IssuerSigningKeyResolverUsingConfiguration is null
        && parameters.SignatureValidator is null
        && parameters.SignatureValidatorUsingConfiguration is null
        && parameters.LifetimeValidator is null
        && parameters.IssuerSigningKeyValidator is null
        && (parameters.IssuerSigningKeyValidatorUsingConfiguration is null || parameters.IssuerSigningKeyValidatorUsingConfiguration == VettedKeyValidator);

    /// <summary>Reference identity on purpose: the exact key object the scheme currently trusts, nothing looser.</summary>
    private static async ValueTask<bool> StillTrustedAsync(SecurityKey key, TokenValidationParameters parameters)
    {
        if (ReferenceEquals(parameters.IssuerSigningKey, key) || Holds(parameters.IssuerSigningKeys, key))
        {
            return true;
        }
        if (parameters.ConfigurationManager is { } manager)
        {
            var configuration = await manager.GetBaseConfigurationAsync(CancellationToken.None);
            return Holds(configuration?.SigningKeys, key);
        }
        return false;
    }

    private static bool Holds(IEnumerable<SecurityKey>? keys, SecurityKey key)
    {
        if (keys is null)
        {
            return false;
        }
        foreach (var candidate in keys)
        {
            if (ReferenceEquals(candidate, key))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>When full, lapsed entries go first; if none has lapsed, the new token is simply not remembered.</summary>
    private bool Room()
    {
        if (_validated.Count < capacity)
        {
            return true;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var entry in _validated)
        {
            if (entry.Value.Token.ValidTo <= now)
            {
                _validated.TryRemove(entry);
            }
        }
        return _validated.Count < capacity;
    }

    private sealed record Remembered(JsonWebToken Token, SecurityKey SigningKey, System.Security.Claims.ClaimsIdentity Identity, string Issuer, string TokenType)
    {
        public TokenValidationResult Fresh() => new()
        {
            IsValid = true,
            SecurityToken = Token,
            ClaimsIdentity = Identity.Clone(),
            Issuer = Issuer,
            TokenType = TokenType,
        };
    }
}
