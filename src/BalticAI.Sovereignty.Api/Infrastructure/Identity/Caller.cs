using System.Security.Claims;
using Microsoft.Identity.Web;

namespace BalticAI.Sovereignty.Api.Infrastructure.Identity;

/// <summary>Who acts, as recorded in the ledger: organisation, client application, pseudonymous user.</summary>
public sealed record Actor(string Organisation, string Country, string Application, string Pseudonym);

/// <summary>The authenticated caller of one request, resolved through the tenant map.</summary>
public sealed record Caller(Actor Actor, IReadOnlySet<string> Roles, string TenantId)
{
    public string Organisation => Actor.Organisation;
    public string Country => Actor.Country;

    public bool IsInRole(string role) => Roles.Contains(role);

    /// <summary>The EU AI Office oversees general-purpose models in every country.</summary>
    public bool ReadsAllCountries => Country == TenantMap.EuCountry;

    /// <summary>Minimal-API binding: endpoints take a <see cref="Caller"/> parameter.</summary>
    public static ValueTask<Caller?> BindAsync(HttpContext context) =>
        ValueTask.FromResult(context.RequestServices.GetRequiredService<CallerResolver>().Resolve(context.User));
}

public sealed class CallerResolver(TenantMap tenants, ActorPseudonymiser pseudonymiser)
{
    public Caller? Resolve(ClaimsPrincipal principal)
    {
        // GetTenantId/GetObjectId read both the short (`tid`) and the mapped long claim names.
        var tenantId = principal.GetTenantId();
        if (principal.Identity?.IsAuthenticated != true || !tenants.TryGet(tenantId, out var tenant))
        {
            return null;
        }
        var application = principal.FindFirstValue("azp") ?? principal.FindFirstValue("appid") ?? "unknown";
        // App-only tokens have no user; the application itself is then the actor.
        var subject = principal.GetObjectId() ?? principal.FindFirstValue(ClaimTypes.NameIdentifier) ?? application;
        var roles = principal.FindAll("roles").Concat(principal.FindAll(ClaimTypes.Role)).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        var actor = new Actor(tenant.Organisation, tenant.Country, application, pseudonymiser.Pseudonymise(subject));
        return new Caller(actor, roles, tenantId!);
    }
}
