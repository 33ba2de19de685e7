using BalticAI.Sovereignty.Api.Infrastructure.Health;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Policies.ActivatingBundle;
using BalticAI.Sovereignty.Api.Policies.AssessingImpact;
using BalticAI.Sovereignty.Api.Policies.Engines;
using BalticAI.Sovereignty.Api.Policies.Engines.Opa;
using BalticAI.Sovereignty.Api.Policies.EvaluatingPolicy;
using BalticAI.Sovereignty.Api.Policies.GettingActiveBundle;
using BalticAI.Sovereignty.Api.Policies.Lifecycle;
using BalticAI.Sovereignty.Api.Policies.ReadingBundles;
using BalticAI.Sovereignty.Rego;
using Marten;

namespace BalticAI.Sovereignty.Api.Policies;

public static class PolicySetup
{
    /// <summary>The broker itself, as the actor of what it records on its own (the first bundle).</summary>
    public static readonly Actor BrokerActor = new("balticai-broker", TenantMap.EuCountry, "balticai-broker", "system");

    public static WebApplicationBuilder AddPolicies(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(PolicyOptions.SectionName).Get<PolicyOptions>() ?? new PolicyOptions();
        if (!Path.IsPathRooted(options.BundleDirectory))
        {
            options.BundleDirectory = Path.GetFullPath(Path.Combine(builder.Environment.ContentRootPath, options.BundleDirectory));
        }
        if (options.InitialBundle is { } initial && !Path.IsPathRooted(initial))
        {
            options.InitialBundle = Path.GetFullPath(Path.Combine(builder.Environment.ContentRootPath, initial));
        }
        builder.Services.AddSingleton(options);
        // Also the replay engine of older bundles in `opa` mode: a replay is evaluated with the options of live decisions.
        builder.Services.AddSingleton(new EmbeddedRegoEngine(RegoOptions.Default with { Timeout = options.EvaluationTimeout }));
        // StartupChecks has refused a wrong Policy:* key already (PolicyOptionsValidator); what remains is one of two engines.
        if (options.UsesOpa)
        {
            var opaUrl = options.OpaUrl ?? throw new InvalidOperationException("Policy:OpaUrl is required when Policy:Engine is 'opa'");
            builder.Services.AddHttpClient<OpaClient>(http => http.BaseAddress = opaUrl)
                .AddStandardResilienceHandler(options.Opa.ApplyTo);
            builder.Services.AddSingleton<IPolicyEngine, OpaPolicyEngine>();
        }
        else
        {
            builder.Services.AddSingleton<IPolicyEngine>(sp => sp.GetRequiredService<EmbeddedRegoEngine>());
        }
        builder.Services.AddSingleton<PolicyLifecycle>();
        builder.Services.AddSingleton<ImpactGate>();
        builder.Services.AddHostedService<ActivePolicyKeeper>();
        builder.Services.AddHealthChecks().AddCheck<PolicyBundleHealthCheck>("policy-bundle", tags: [HealthSetup.ReadyTag]);
        builder.Services.ConfigureMarten(store =>
        {
            store.Events.AddEventType<PolicyBundleActivated>();
            store.Schema.For<RecordedPolicyBundle>().Identity(b => b.Id);
            store.Schema.For<ActivePolicyPointer>().Identity(p => p.Id);
        });
        return builder;
    }

    public static IEndpointRouteBuilder MapPolicies(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/policies").WithTags("Policies");
        group.MapGetActiveBundle();
        group.MapGetBundles();
        group.MapGetBundleAnnotations();
        group.MapActivateBundle();
        group.MapEvaluatePolicy();
        group.MapAssessImpact();
        return app;
    }
}
