using BalticAI.Sovereignty.Api.Sites.GettingSites;
using BalticAI.Sovereignty.Api.Sites.RegisteringSite;
using JasperFx.Events.Projections;
using BalticAI.Sovereignty.Api.Infrastructure.Validation;
using Marten;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BalticAI.Sovereignty.Api.Sites;

public static class SitesModule
{
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
        store.Projections.Snapshot<ComputeSite>(SnapshotLifecycle.Inline);
        store.Schema.For<ComputeSite>().UniqueIndex(s => s.Code);
    }

    public static IEndpointRouteBuilder MapSites(this IEndpointRouteBuilder app) => app.MapRegisterSite().MapGetSites();
}
