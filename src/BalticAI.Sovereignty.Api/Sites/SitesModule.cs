using BalticAI.Sovereignty.Api.Sites.AmendingSite;
using BalticAI.Sovereignty.Api.Sites.GettingSites;
using BalticAI.Sovereignty.Api.Sites.RegisteringSite;
using BalticAI.Sovereignty.Api.Sites.Suspending;
using JasperFx.Events.Projections;
using BalticAI.Sovereignty.Api.Infrastructure.Validation;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BalticAI.Sovereignty.Api.Sites;

public static class SitesModule
{
    /// <summary>The name Marten gives this index by default, spelled out so a lost race can be told by it.</summary>
    public const string CodeIndex = "mt_doc_computesite_uidx_code";

    public static WebApplicationBuilder AddSites(this WebApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton<JsonRequests>();
        builder.Services.ConfigureMarten(ConfigureStore);
        return builder;
    }

    /// <summary>Event types, inline projections and indexes of this slice; `balticai seed` composes them too, so seeded documents are the broker's.</summary>
    public static void ConfigureStore(StoreOptions store)
    {
        store.Events.AddEventType<ComputeSiteRegistered>();
        store.Events.AddEventType<ComputeSiteAmended>();
        store.Events.AddEventType<ComputeSiteSuspended>();
        store.Events.AddEventType<ComputeSiteSuspensionLifted>();
        store.Projections.Snapshot<ComputeSite>(SnapshotLifecycle.Inline);
        store.Schema.For<ComputeSite>().UniqueIndex(CodeIndex, s => s.Code);
    }

    public static ProblemHttpResult NotFound(Guid id) =>
        TypedResults.Problem(title: "No such site", detail: $"No compute site {id} is registered.", statusCode: StatusCodes.Status404NotFound);

    /// <summary>The save failed because another registration of the same code committed first.</summary>
    public static bool IsCodeTaken(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: CodeIndex })
            {
                return true;
            }
        }
        return false;
    }

    public static IEndpointRouteBuilder MapSites(this IEndpointRouteBuilder app) => app.MapRegisterSite().MapAmendSite().MapGetSites().MapSuspendSite();
}
