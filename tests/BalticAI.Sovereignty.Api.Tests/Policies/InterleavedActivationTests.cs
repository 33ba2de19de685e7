using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Policies;
using BalticAI.Sovereignty.Api.Policies.Bundles;
using BalticAI.Sovereignty.Api.Policies.Engines;
using BalticAI.Sovereignty.Api.Policies.Lifecycle;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using BalticAI.Sovereignty.Rego;
using Marten;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;
using static BalticAI.Sovereignty.Api.Tests.Policies.ConditionalActivationTests;
using static BalticAI.Sovereignty.Api.Tests.Platform.ProblemAndOpenApiTests;

namespace BalticAI.Sovereignty.Api.Tests.Policies;

/// <summary>
/// Another node records an activation after this node's conditional activation passed its first check, while its engine
/// loads the candidate: the check made in the transaction that would record it refuses it (412), and the engine is given
/// back the bundle it held, so this node never evaluates a bundle the ledger does not name.
/// </summary>
public sealed class InterleavedActivationTests(InterleavedActivationTests.Factory broker) : IClassFixture<InterleavedActivationTests.Factory>
{
    [Fact]
    public async Task An_activation_recorded_elsewhere_while_the_engine_loads_makes_a_conditional_one_412_and_the_engine_keeps_its_bundle()
    {
        var admin = broker.ClientFor(TestTenants.EuAiOffice, Roles.PolicyAdmin);
        var held = await ActivateAsync(broker, Distinct($"held-{Guid.NewGuid():N}"));
        var read = new System.Net.Http.Headers.EntityTagHeaderValue((await ActiveAsync(broker)).ETag);
        var elsewhere = BundleOf(Distinct($"elsewhere-{Guid.NewGuid():N}"));
        broker.Engine.BeforeLoading = () => new PolicyLifecycle(broker.Services.GetRequiredService<IDocumentStore>(), new EmbeddedRegoEngine(RegoOptions.Default),
            broker.Services.GetRequiredService<PolicyOptions>(), TimeProvider.System).ActivateAsync(elsewhere, PolicySetup.BrokerActor, CancellationToken.None);
        var candidate = Distinct($"{Factory.Interleaved}{Guid.NewGuid():N}");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/policies/bundles") { Content = JsonContent.Create(candidate) };
        request.Headers.IfMatch.Add(read);

        var refused = await admin.SendAsync(request);

        await ShouldBeProblemAsync(refused, HttpStatusCode.PreconditionFailed);
        refused.Headers.ETag!.Tag.ShouldBe($"\"{Version(read.Tag) + 1}\"");
        // The keeper, every 5 s, may load the bundle activated elsewhere afterwards; not in between, since it waits for the gate.
        var loaded = broker.Engine.Loaded;
        var candidateLoaded = loaded.ToList().LastIndexOf(BundleOf(candidate).Digest);
        candidateLoaded.ShouldBeGreaterThanOrEqualTo(0);
        loaded.Count.ShouldBeGreaterThan(candidateLoaded + 1);
        loaded[candidateLoaded + 1].ShouldBe(held);
        await using var session = broker.Services.GetRequiredService<IDocumentStore>().QuerySession();
        (await session.LoadAsync<ActivePolicyPointer>(ActivePolicyPointer.SingletonId))!.Digest.ShouldBe(elsewhere.Digest);
    }


    public sealed class Factory : BrokerFactory
    {
        /// <summary>The revisions whose loading runs <see cref="LoadingEngine.BeforeLoading"/>.</summary>
        public const string Interleaved = "interleaved-";

        public LoadingEngine Engine { get; } = new(new EmbeddedRegoEngine(RegoOptions.Default));

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.AddSingleton<IPolicyEngine>(Engine));
        }
    }

    /// <summary>The embedded engine, naming every bundle it loads, and running a step before it loads an interleaved one.</summary>
    public sealed class LoadingEngine(IPolicyEngine inner) : IPolicyEngine
    {
        private readonly ConcurrentQueue<string> _loaded = new();

        public Func<Task>? BeforeLoading { get; set; }

        public IReadOnlyList<string> Loaded => _loaded.ToList();

        public string Name => inner.Name;

        public async Task ActivateAsync(PolicyBundle bundle, CancellationToken ct)
        {
            if (bundle.Revision.StartsWith(Factory.Interleaved, StringComparison.Ordinal) && BeforeLoading is { } step)
            {
                await step();
            }
            await inner.ActivateAsync(bundle, ct);
            _loaded.Enqueue(bundle.Digest);
        }

        public Task EnsureLoadedAsync(PolicyBundle bundle, CancellationToken ct) => inner.EnsureLoadedAsync(bundle, ct);

        public Task<JsonNode?> EvaluateAsync(PolicyBundle bundle, string query, JsonNode input, CancellationToken ct) => inner.EvaluateAsync(bundle, query, input, ct);
    }
}
