using BalticAI.Sovereignty.Api.Infrastructure.Hardening;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Infrastructure.Signing.RecordingRevocations;
using Marten;
using BalticAI.Sovereignty.Security;
using Microsoft.Extensions.Options;

namespace BalticAI.Sovereignty.Api.Infrastructure.Signing;

public static class SigningSetup
{
    /// <summary>Call after AddSovereigntyHardening, whose start-up checks read and passed the `Signing` section.</summary>
    public static WebApplicationBuilder AddSovereigntySigning(this WebApplicationBuilder builder)
    {
        var options = StartupChecks.Passed<SigningOptions>(builder);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(Options.Create(options));
        builder.Services.ConfigureMarten(store => store.Events.AddEventType<BrokerSigningKeyRevoked>());
        builder.Services.AddHostedService<RevocationRecorder>();
        switch (options.Named)
        {
            case SigningProvider.KeyVault:
                builder.Services.AddKeyVaultSigning(options.KeyVault.ToSignerOptions());
                break;
            case SigningProvider.Local:
                var directory = IdentitySetup.ResolvePath(builder.Environment, options.KeyDirectory);
                builder.Services.AddSingleton<ISigner>(sp => new LocalKeyRing(directory, sp.GetRequiredService<TimeProvider>()));
                builder.Services.AddSingleton<ISigningKeyRevocations, NoSigningKeyRevocations>();
                break;
        }
        return builder;
    }

    /// <summary>The JWKS and, beside it, the keys revoked before their time.</summary>
    public static IEndpointRouteBuilder MapJwks(this IEndpointRouteBuilder app)
    {
        app.MapGet("/.well-known/jwks.json", async (ISigner signer, HttpContext http, CancellationToken ct) =>
            {
                var keys = await signer.GetVerificationKeysAsync(ct);
                http.Response.Headers.CacheControl = "public, max-age=300";
                return Results.Json(new { keys }, contentType: "application/jwk-set+json");
            })
            .AllowAnonymous()
            .WithName("GetJwks")
            .WithTags("Keys")
            .WithSummary("Public keys that verify grants, feed envelopes and ledger checkpoints")
            .Produces(StatusCodes.Status200OK, contentType: "application/jwk-set+json");
        app.MapRevokedKeys();
        return app;
    }
}
