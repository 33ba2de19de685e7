using BalticAI.Sovereignty.Security;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Identity.Web;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace BalticAI.Sovereignty.Api.Infrastructure.Identity;

public static class IdentitySetup
{
    /// <summary>
    /// One validation pipeline for production and development: Microsoft.Identity.Web validates tokens
    /// of the multi-tenant registration (`AzureAd`) and of each country's own registration
    /// (`Identity:Countries:{CC}`), a scheme each, with the issuer of each allowed tenant; in development
    /// the multi-tenant scheme's metadata is replaced by the local issuer's key, so role checks
    /// (IDW10201) and audience rules behave exactly as they will against Entra ID.
    /// </summary>
    public static WebApplicationBuilder AddSovereigntyIdentity(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(IdentityOptions.SectionName).Get<IdentityOptions>() ?? new IdentityOptions();
        var tenants = TenantMap.FromConfiguration(builder.Configuration);
        builder.Services.AddSingleton(tenants);
        builder.Services.AddSingleton(new ActorPseudonymiser(LoadPseudonymKey(options, builder.Environment)));
        builder.Services.AddSingleton<CallerResolver>();

        var registrations = EntraRegistrations.From(builder.Configuration, options, tenants);
        builder.Services.AddSingleton(registrations);

        var authentication = builder.Services.AddAuthentication(EntraRegistrations.SelectorScheme)
            .AddPolicyScheme(EntraRegistrations.SelectorScheme, "Entra ID (the token's registration)", selector => selector.ForwardDefaultSelector = registrations.SelectScheme);
        authentication.AddMicrosoftIdentityWebApi(builder.Configuration.GetSection(EntraRegistrations.DefaultSection), registrations.MultiTenant.Scheme);
        foreach (var country in registrations.Countries)
        {
            authentication.AddMicrosoftIdentityWebApi(builder.Configuration.GetSection(EntraRegistrations.CountrySection(country.Country!)), country.Scheme);
        }

        foreach (var registration in registrations.All)
        {
            builder.Services.PostConfigure<JwtBearerOptions>(registration.Scheme, jwt => jwt.TokenValidationParameters.IssuerValidator = registration.ValidateIssuer);
        }
        if (options.Mode == IdentityMode.Development)
        {
            var issuerKey = EcPrivateKeyFile.LoadOrCreate(ResolvePath(builder.Environment, options.DevelopmentIssuer.KeyPath), TimeProvider.System);
            builder.Services.AddSingleton(new DevelopmentIssuer(issuerKey, options.DevelopmentIssuer.Issuer, DevelopmentIssuer.DefaultAudience, TimeProvider.System));
            builder.Services.PostConfigure<JwtBearerOptions>(registrations.MultiTenant.Scheme, jwt => UseLocalIssuer(jwt, issuerKey, options.DevelopmentIssuer.Issuer));
        }
        foreach (var registration in registrations.All)
        {
            builder.Services.PostConfigure<JwtBearerOptions>(registration.Scheme, jwt => RequireOwnTenant(jwt, registration));
            builder.Services.PostConfigure<JwtBearerOptions>(registration.Scheme, ForgetRetiredKeys);
            builder.Services.PostConfigure<JwtBearerOptions>(registration.Scheme, RememberingTokenHandler.Install);
        }

        // Every route's policy is combined with the default one, so every route authenticates through
        // the selector, which hands the token to the one registration that may accept it.
        var authenticated = new AuthorizationPolicyBuilder(EntraRegistrations.SelectorScheme).RequireAuthenticatedUser().Build();
        builder.Services.AddAuthorizationBuilder().SetDefaultPolicy(authenticated).SetFallbackPolicy(authenticated);
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

    /// <summary>
    /// Entra ID drops a signing key from its key set when it retires it, in an emergency too. By default
    /// IdentityModel then validates that key's tokens against its last known good metadata, which still
    /// holds the key, for up to an hour (<see cref="BaseConfigurationManager.LastKnownGoodLifetime"/>); a
    /// broker that releases data must stop accepting them at the refresh that dropped the key. Metadata that
    /// cannot be fetched still leaves the current keys in use.
    /// </summary>
    private static void ForgetRetiredKeys(JwtBearerOptions jwt)
    {
        if (jwt.ConfigurationManager is BaseConfigurationManager manager)
        {
            manager.UseLastKnownGoodConfiguration = false;
        }
    }

    /// <summary>
    /// A registration accepts only its own tenants, after Identity.Web's own checks have run: the
    /// development issuer's tokens carry no per-tenant issuer, and this keeps one country's registration
    /// from vouching for another country's organisation.
    /// </summary>
    private static void RequireOwnTenant(JwtBearerOptions jwt, EntraRegistration registration)
    {
        var identityWebHandler = jwt.Events.OnTokenValidated;
        jwt.Events.OnTokenValidated = async context =>
        {
            await identityWebHandler(context);
            if (context.Result is { Failure: not null })
            {
                return;
            }
            var tenantId = context.Principal?.GetTenantId();
            if (tenantId is null || !registration.Tenants.Contains(tenantId))
            {
                context.Fail($"The token's tenant (tid) is not on the allow-list of the {registration.Scheme} registration.");
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
