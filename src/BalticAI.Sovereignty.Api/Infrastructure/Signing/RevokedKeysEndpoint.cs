using BalticAI.Sovereignty.Api.Infrastructure.Signing.RecordingRevocations;
using BalticAI.Sovereignty.Security;
using Marten;

namespace BalticAI.Sovereignty.Api.Infrastructure.Signing;

public static class RevokedKeysEndpoint
{
    /// <summary>
    /// Keys revoked before their time (a compromised key): a verifier holding an older JWKS checks this
    /// list too, and refuses anything signed by a listed kid or, for checkpoints, by a listed public key.
    /// Each is dated by <see cref="FirstRecordedRevocation"/>, never later than the ledger first recorded it.
    /// </summary>
    public static IEndpointRouteBuilder MapRevokedKeys(this IEndpointRouteBuilder app)
    {
        app.MapGet("/.well-known/revoked-keys.json", async (ISigningKeyRevocations revocations, IQuerySession session, HttpContext http, CancellationToken ct) =>
            {
                var revoked = await FirstRecordedRevocation.ApplyAsync(session, await revocations.GetRevokedKeysAsync(ct), ct);
                http.Response.Headers.CacheControl = "public, max-age=300";
                return TypedResults.Ok(new RevokedKeysDocument(revoked.Select(r => new RevokedKeyEntry(r.KeyId, r.RevokedAt, r.PublicKey)).ToList()));
            })
            .AllowAnonymous()
            .WithName("GetRevokedKeys")
            .WithTags("Keys")
            .WithSummary("Signing keys revoked before their time; nothing they signed after `revokedAt` may be trusted (never later than the ledger first recorded the revocation)");
        return app;
    }
}

public sealed record RevokedKeysDocument(IReadOnlyList<RevokedKeyEntry> Revoked);

/// <summary>One revoked key: its JWS kid, when it was revoked, and its public JWK where the vault still gives it.</summary>
public sealed record RevokedKeyEntry(string Kid, DateTimeOffset RevokedAt, System.Text.Json.Nodes.JsonObject? Jwk);
