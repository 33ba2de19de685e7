using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.JsonWebTokens;

namespace BalticAI.Sovereignty.Api.Infrastructure.Identity;

/// <summary>
/// The multi-tenant registration (section `AzureAd`, scheme `Bearer`) and the countries' own
/// registrations (`Identity:Countries:{CC}`, scheme `Entra-{CC}`). Every tenant of the tenant map
/// belongs to exactly one of them, so a token is accepted by one scheme at most.
/// </summary>
public sealed class EntraRegistrations
{
    /// <summary>The default scheme: forwards each request to the scheme of the token's registration.</summary>
    public const string SelectorScheme = "Entra";
    public const string DefaultSection = "AzureAd";
    private static readonly JsonWebTokenHandler Reader = new();

    private EntraRegistrations(EntraRegistration multiTenant, IReadOnlyList<EntraRegistration> countries)
    {
        MultiTenant = multiTenant;
        Countries = countries;
    }

    public EntraRegistration MultiTenant { get; }

    public IReadOnlyList<EntraRegistration> Countries { get; }

    public IEnumerable<EntraRegistration> All => Countries.Prepend(MultiTenant);

    public static string CountryScheme(string country) => "Entra-" + country;

    public static string CountrySection(string country) => $"{IdentityOptions.SectionName}:Countries:{country}";

    public static EntraRegistrations From(IConfiguration configuration, IdentityOptions options, TenantMap tenants)
    {
        var countries = options.Countries.Select(c => ForCountry(c.Key, c.Value, tenants)).ToList();
        var claimed = countries.SelectMany(c => c.Tenants).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var section = configuration.GetSection(DefaultSection);
        var multiTenant = new EntraRegistration(
            JwtBearerDefaults.AuthenticationScheme,
            Country: null,
            section["Instance"] ?? "https://login.microsoftonline.com/",
            tenants.Entries.Keys.Where(t => !claimed.Contains(t)).ToHashSet(StringComparer.OrdinalIgnoreCase),
            AudiencesOf(section["ClientId"], section["Audience"]));
        var registrations = new EntraRegistrations(multiTenant, countries);
        registrations.RequireDistinctAudiences();
        return registrations;
    }

    /// <summary>
    /// ForwardDefaultSelector: peeks at the unvalidated token. Its audience names the registration that
    /// issued it; a token for no country's audience goes to the country owning its `tid`, else to the
    /// multi-tenant registration. The chosen scheme then validates everything, including the tenant.
    /// </summary>
    public string SelectScheme(HttpContext context)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        const string prefix = "Bearer ";
        if (Countries.Count == 0 || !authorization.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            return MultiTenant.Scheme;
        }
        if (Peek(authorization[prefix.Length..].Trim()) is not { } token)
        {
            return MultiTenant.Scheme;
        }
        var byAudience = Countries.FirstOrDefault(c => c.IsAudienceOf(token));
        if (byAudience is not null)
        {
            return byAudience.Scheme;
        }
        token.TryGetPayloadValue<string>(EntraRegistration.TenantClaim, out var tenantId);
        return Countries.FirstOrDefault(c => tenantId is not null && c.Tenants.Contains(tenantId))?.Scheme ?? MultiTenant.Scheme;
    }

    /// <summary>The token's claims, unvalidated; null when it is not a readable JWT (the chosen scheme then answers 401).</summary>
    private static JsonWebToken? Peek(string raw)
    {
        if (!Reader.CanReadToken(raw))
        {
            return null;
        }
        try
        {
            return Reader.ReadJsonWebToken(raw);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static EntraRegistration ForCountry(string country, CountryRegistrationOptions options, TenantMap tenants)
    {
        var section = CountrySection(country);
        if (string.IsNullOrWhiteSpace(options.ClientId))
        {
            throw new InvalidOperationException($"{section}:ClientId is missing");
        }
        var countryTenants = tenants.Entries.Where(t => t.Value.Country == country).Select(t => t.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (countryTenants.Count == 0)
        {
            throw new InvalidOperationException($"{section}: no tenant of the tenant map is in country '{country}'");
        }
        if (Guid.TryParse(options.TenantId, out _))
        {
            if (!countryTenants.Contains(options.TenantId!))
            {
                throw new InvalidOperationException($"{section}:TenantId '{options.TenantId}' is not a tenant of country '{country}' in the tenant map");
            }
            countryTenants = new HashSet<string>([options.TenantId!], StringComparer.OrdinalIgnoreCase);
        }
        else if (!string.Equals(options.TenantId, "organizations", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"{section}:TenantId must be the registration's tenant id or 'organizations'");
        }
        return new EntraRegistration(CountryScheme(country), country, options.Instance, countryTenants, AudiencesOf(options.ClientId, options.Audience));
    }

    /// <summary>The audiences Identity.Web accepts for a registration: the configured one, the client id and its `api://` URI.</summary>
    private static HashSet<string> AudiencesOf(string? clientId, string? audience) =>
        new[] { audience, clientId, clientId is null ? null : "api://" + clientId }
            .OfType<string>().Where(a => a.Length > 0).ToHashSet(StringComparer.Ordinal);

    private void RequireDistinctAudiences()
    {
        var all = All.ToList();
        foreach (var (first, index) in all.Select((r, i) => (r, i)))
        {
            foreach (var second in all.Skip(index + 1))
            {
                if (first.Audiences.Overlaps(second.Audiences))
                {
                    throw new InvalidOperationException($"Identity: the {first.Scheme} and {second.Scheme} registrations share an audience; each registration needs its own");
                }
            }
        }
    }
}
