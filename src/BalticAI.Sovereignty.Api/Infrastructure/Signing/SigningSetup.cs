using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Security;

namespace BalticAI.Sovereignty.Api.Infrastructure.Signing;

public sealed class SigningOptions
{
    public const string SectionName = "Signing";

    /// <summary>`Local` (embedded default: ES256 key files) or `KeyVault`.</summary>
    public string Provider { get; set; } = "Local";

    public string KeyDirectory { get; set; } = ".data/keys";
}

public static class SigningSetup
{
    public static WebApplicationBuilder AddSovereigntySigning(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(SigningOptions.SectionName).Get<SigningOptions>() ?? new SigningOptions();
        if (!string.Equals(options.Provider, "Local", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"Signing:Provider '{options.Provider}' is not supported by this build; use 'Local'");
        }
        var directory = IdentitySetup.ResolvePath(builder.Environment, options.KeyDirectory);
        builder.Services.AddSingleton<ISigner>(sp => new LocalKeyRing(directory, sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton(TimeProvider.System);
        return builder;
    }

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
        return app;
    }
}
