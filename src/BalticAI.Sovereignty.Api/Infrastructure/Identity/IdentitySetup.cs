using BalticAI.Sovereignty.Security;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Identity.Web;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace BalticAI.Sovereignty.Api.Infrastructure.Identity;

public static class IdentitySetup
{
    /// <summary>
    /// One validation pipeline for production and development: Microsoft.Identity.Web validates tokens
    /// from the `AzureAd` section; in development its metadata is replaced by the local issuer's key,
    /// so role checks (IDW10201) and audience rules behave exactly as they will against Entra ID.
    /// </summary>
    public static WebApplicationBuilder AddSovereigntyIdentity(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(IdentityOptions.SectionName).Get<IdentityOptions>() ?? new IdentityOptions();
        var tenants = TenantMap.FromConfiguration(builder.Configuration);
        builder.Services.AddSingleton(tenants);
        builder.Services.AddSingleton(new ActorPseudonymiser(LoadPseudonymKey(options, builder.Environment)));
        builder.Services.AddSingleton<CallerResolver>();

        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddMicrosoftIdentityWebApi(builder.Configuration.GetSection("AzureAd"));

        if (options.Mode == IdentityMode.Development)
        {
            var issuerKey = EcPrivateKeyFile.LoadOrCreate(ResolvePath(builder.Environment, options.DevelopmentIssuer.KeyPath), TimeProvider.System);
            builder.Services.AddSingleton(new DevelopmentIssuer(issuerKey, options.DevelopmentIssuer.Issuer, DevelopmentIssuer.DefaultAudience, TimeProvider.System));
            builder.Services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, jwt => UseLocalIssuer(jwt, issuerKey, options.DevelopmentIssuer.Issuer));
        }
        builder.Services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, jwt => RequireKnownTenant(jwt, tenants));

        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        return builder;
    }

    public static string ResolvePath(IHostEnvironment environment, string path) =>
        Path.IsPathRooted(path) ? path : Path.Combine(environment.ContentRootPath, path);

    private static void UseLocalIssuer(JwtBearerOptions jwt, EcPrivateKeyFile issuerKey, string issuer)
    {
        var signingKey = new ECDsaSecurityKey(issuerKey.ToEcdsa()) { KeyId = issuerKey.Kid };
        var metadata = new OpenIdConnectConfiguration { Issuer = issuer };
        metadata.SigningKeys.Add(signingKey);
        jwt.Authority = null;
        jwt.MetadataAddress = null!;
        jwt.Configuration = metadata;
        jwt.ConfigurationManager = new StaticConfigurationManager<OpenIdConnectConfiguration>(metadata);
        jwt.TokenValidationParameters.IssuerSigningKey = signingKey;
        jwt.TokenValidationParameters.ValidIssuer = issuer;
        jwt.TokenValidationParameters.IssuerValidator = null;
        jwt.TokenValidationParameters.ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256];
    }

    /// <summary>Unknown tenants are refused outright, after Identity.Web's own checks have run.</summary>
    private static void RequireKnownTenant(JwtBearerOptions jwt, TenantMap tenants)
    {
        var identityWebHandler = jwt.Events.OnTokenValidated;
        jwt.Events.OnTokenValidated = async context =>
        {
            await identityWebHandler(context);
            if (context.Result is { Failure: not null })
            {
                return;
            }
            if (!tenants.TryGet(context.Principal?.GetTenantId(), out _))
            {
                context.Fail("The token's tenant (tid) is not on the broker's tenant allow-list.");
            }
        };
    }

    private static byte[] LoadPseudonymKey(IdentityOptions options, IHostEnvironment environment)
    {
        if (!string.IsNullOrEmpty(options.PseudonymKey))
        {
            var key = Convert.FromBase64String(options.PseudonymKey);
            return key.Length >= 32 ? key : throw new InvalidOperationException("Identity:PseudonymKey must hold at least 32 bytes (base64)");
        }
        if (options.Mode != IdentityMode.Development)
        {
            throw new InvalidOperationException("Identity:PseudonymKey is required outside development (environment variable Identity__PseudonymKey or user secrets)");
        }
        var path = ResolvePath(environment, options.PseudonymKeyPath);
        if (!File.Exists(path))
        {
            OwnerOnlyFile.TryCreate(path, stream => stream.Write(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
        }
        return File.ReadAllBytes(path);
    }
}
