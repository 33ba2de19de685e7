using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Policies.ActivatingBundle;
using BalticAI.Sovereignty.Api.Policies.Engines;
using BalticAI.Sovereignty.Api.Policies.Engines.Opa;
using BalticAI.Sovereignty.Api.Policies.EvaluatingPolicy;
using BalticAI.Sovereignty.Api.Policies.GettingActiveBundle;
using BalticAI.Sovereignty.Api.Policies.Lifecycle;
using BalticAI.Sovereignty.Api.Policies.ReadingBundles;
using BalticAI.Sovereignty.Rego;
using BalticAI.Sovereignty.Security;
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
        if (options.TestTimeout <= TimeSpan.Zero)
        {
            throw new InvalidOperationException($"Policy:TestTimeout must be positive, not {options.TestTimeout}");
        }
        builder.Services.AddSingleton(options);
        // Also the replay engine of older bundles in `opa` mode: a replay is evaluated with the options of live decisions.
        builder.Services.AddSingleton(new EmbeddedRegoEngine(RegoOptions.Default with { Timeout = options.EvaluationTimeout }));
        if (options.UsesOpa)
        {
            var opaUrl = options.OpaUrl ?? throw new InvalidOperationException("Policy:OpaUrl is required when Policy:Engine is 'opa'");
            builder.Services.AddHttpClient<OpaClient>(http => http.BaseAddress = opaUrl)
                .AddStandardResilienceHandler(resilience =>
                {
                    var attempt = TimeSpan.FromSeconds(2);
                    var total = TimeSpan.FromSeconds(6);
                    resilience.AttemptTimeout.Timeout = attempt;
                    resilience.TotalRequestTimeout.Timeout = total;
                    resilience.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(10);
                    // An OPA (or its proxy) asking for a longer wait than a retry could take and still end within the total
                    // timeout is not retried: the caller gets the 503 and that wait at once, not a timeout that lost it.
                    var transient = resilience.Retry.ShouldHandle;
                    resilience.Retry.ShouldHandle = args =>
                        RetryAfterHint.From(args.Outcome.Result?.Headers.RetryAfter, args.Outcome.Result?.Headers.Date, DateTimeOffset.UtcNow) > total - attempt
                            ? ValueTask.FromResult(false)
                            : transient(args);
                });
            builder.Services.AddSingleton<IPolicyEngine, OpaPolicyEngine>();
        }
        else if (string.Equals(options.Engine, "embedded", StringComparison.OrdinalIgnoreCase))
        {
            builder.Services.AddSingleton<IPolicyEngine>(sp => sp.GetRequiredService<EmbeddedRegoEngine>());
        }
        else
        {
            throw new InvalidOperationException($"Policy:Engine '{options.Engine}' is neither 'embedded' nor 'opa'");
        }
        builder.Services.AddSingleton<PolicyLifecycle>();
        builder.Services.AddHostedService<ActivePolicyKeeper>();
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
        group.MapActivateBundle();
        group.MapEvaluatePolicy();
        return app;
    }
}
