using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Infrastructure.Signing.RecordingRevocations;
using Marten;
using BalticAI.Sovereignty.Security;
using BalticAI.Sovereignty.Security.KeyVault;

namespace BalticAI.Sovereignty.Api.Infrastructure.Signing;

public sealed class SigningOptions
{
    public const string SectionName = "Signing";

    /// <summary>`Local` (embedded default: ES256 key files) or `KeyVault`; StartupChecks has refused any other value.</summary>
    public SigningProvider Provider { get; set; } = SigningProvider.Local;

    public string KeyDirectory { get; set; } = ".data/keys";

    /// <summary>`Signing:KeyVault:*`, read when the provider is `KeyVault`.</summary>
    public KeyVaultSigningOptions KeyVault { get; set; } = new();

    /// <summary>How often the revocation list is checked for keys to record in the ledger.</summary>
    public TimeSpan RevocationCheckInterval { get; set; } = TimeSpan.FromSeconds(30);
}

public static class SigningSetup
{
    public static WebApplicationBuilder AddSovereigntySigning(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(SigningOptions.SectionName).Get<SigningOptions>() ?? new SigningOptions();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.Configure<SigningOptions>(builder.Configuration.GetSection(SigningOptions.SectionName));
        builder.Services.ConfigureMarten(store => store.Events.AddEventType<BrokerSigningKeyRevoked>());
        builder.Services.AddHostedService<RevocationRecorder>();
        switch (options.Provider)
        {
            case SigningProvider.KeyVault:
                builder.Services.AddKeyVaultSigning(options.KeyVault);
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
