using BalticAI.Sovereignty.Api.Infrastructure.Identity;

namespace BalticAI.Sovereignty.Api.Callers.GettingCurrentCaller;

/// <summary>What the broker will record about the caller: a quick check of a token and its tenant.</summary>
public static class GetCurrentCallerEndpoint
{
    public sealed record CurrentCaller(string Organisation, string OrganisationName, string Country, string Application, string Pseudonym, IReadOnlyList<string> Roles);

    public static IEndpointRouteBuilder MapGetCurrentCaller(this IEndpointRouteBuilder app)
    {
        app.MapGet("/me", (Caller caller, TenantMap tenants) =>
            {
                tenants.TryGet(caller.TenantId, out var tenant);
                return TypedResults.Ok(new CurrentCaller(
                    caller.Organisation, tenant.Name, caller.Country, caller.Actor.Application, caller.Actor.Pseudonym,
                    caller.Roles.Order(StringComparer.Ordinal).ToList()));
            })
            .RequireAuthorization(policy => policy.RequireRole(Roles.All))
            .WithName("GetCurrentCaller")
            .WithTags("Identity")
            .WithSummary("The organisation, country, application and pseudonym recorded for the caller");
        return app;
    }
}
