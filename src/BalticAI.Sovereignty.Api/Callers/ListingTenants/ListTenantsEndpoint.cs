using BalticAI.Sovereignty.Api.Infrastructure.Identity;

namespace BalticAI.Sovereignty.Api.Callers.ListingTenants;

/// <summary>The tenant allow-list: which organisations of which countries the broker recognises.</summary>
public static class ListTenantsEndpoint
{
    public sealed record KnownOrganisation(string TenantId, string Organisation, string Name, string Country);

    public static IEndpointRouteBuilder MapListTenants(this IEndpointRouteBuilder app)
    {
        app.MapGet("/tenants", (TenantMap tenants) => TypedResults.Ok(
                tenants.Entries
                    .Select(e => new KnownOrganisation(e.Key, e.Value.Organisation, e.Value.Name, e.Value.Country))
                    .OrderBy(o => o.Country, StringComparer.Ordinal)
                    .ThenBy(o => o.Organisation, StringComparer.Ordinal)
                    .ToList()))
            .RequireAuthorization(policy => policy.RequireRole(Roles.PolicyAdmin, Roles.Auditor, Roles.Regulator))
            .WithName("ListTenants")
            .WithTags("Identity")
            .WithSummary("Organisations on the tenant allow-list, with their countries");
        return app;
    }
}
