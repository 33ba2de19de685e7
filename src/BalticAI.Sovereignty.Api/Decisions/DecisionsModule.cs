using BalticAI.Sovereignty.Api.Decisions.GettingDecision;
using BalticAI.Sovereignty.Api.Decisions.GettingRefusal;
using BalticAI.Sovereignty.Api.Decisions.Grants;
using BalticAI.Sovereignty.Api.Decisions.Grants.GettingGrant;
using BalticAI.Sovereignty.Api.Decisions.Grants.ListingGrants;
using BalticAI.Sovereignty.Api.Decisions.Grants.RedeemingGrant;
using BalticAI.Sovereignty.Api.Decisions.Grants.RevokingGrant;
using BalticAI.Sovereignty.Api.Decisions.Grants.Revoking;
using BalticAI.Sovereignty.Api.Decisions.Recording;
using BalticAI.Sovereignty.Api.Decisions.Replaying;
using BalticAI.Sovereignty.Api.Decisions.RequestingAccess;
using BalticAI.Sovereignty.Api.Infrastructure.Validation;
using JasperFx.Events.Projections;
using Marten;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace BalticAI.Sovereignty.Api.Decisions;

public static class DecisionsModule
{
    public static WebApplicationBuilder AddDecisions(this WebApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton<JsonRequests>();
        builder.Services.Configure<DecisionsOptions>(builder.Configuration.GetSection(DecisionsOptions.SectionName));
        builder.Services.Configure<GroupCommitOptions>(builder.Configuration.GetSection(GroupCommitOptions.SectionName));
        builder.Services.AddSingleton<GroupCommitWriter>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<GroupCommitWriter>());
        builder.Services.AddSingleton<RecordedFactsReader>();
        builder.Services.AddSingleton<DecisionMaker>();
        builder.Services.AddSingleton<GrantRedecision>();
        builder.Services.AddSingleton<GrantRevoker>();
        builder.Services.AddSingleton<PendingRedecision>();
        builder.Services.AddSingleton<IValidateOptions<TermsExpirySweepOptions>, TermsExpirySweepOptionsValidator>();
        builder.Services.AddOptions<TermsExpirySweepOptions>().BindConfiguration(TermsExpirySweepOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<TermsExpirySweeper>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<TermsExpirySweeper>());
        builder.Services.ConfigureMarten(ConfigureStore);
        builder.Services.AddSingleton<RevocationNoticePublisher>();
        builder.Services.ConfigureMarten((services, store) => store.Projections.Subscribe(services.GetRequiredService<GrantRevoker>()));
        builder.Services.ConfigureMarten((services, store) => store.Projections.Subscribe(services.GetRequiredService<RevocationNoticePublisher>()));
        return builder;
    }

    /// <summary>Event types, inline projections and indexes of this slice; `balticai seed` composes them too, so seeded documents are the broker's.</summary>
    public static void ConfigureStore(StoreOptions store)
    {
        store.Events.AddEventTypes([typeof(AccessDecided), typeof(AccessRefused), typeof(GrantIssued), typeof(GrantRedeemed), typeof(GrantRevoked)]);
        store.Projections.Add<GrantProjection>(ProjectionLifecycle.Inline);
        store.Schema.For<Grant>().Index(g => g.DatasetId).Index(g => g.JobId).Index(g => g.ExpiresAt).Index(g => g.TrainingSystem);
    }

    public static IEndpointRouteBuilder MapDecisions(this IEndpointRouteBuilder app) =>
        app.MapRequestAccess().MapGetDecision().MapGetRefusal().MapRedeemGrant().MapRevokeGrant().MapGetGrant().MapListGrants().MapReplayDecision();
}
