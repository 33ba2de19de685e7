using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Policies.Bundles;
using BalticAI.Sovereignty.Api.Policies.Engines;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using BalticAI.Sovereignty.Rego;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace BalticAI.Sovereignty.Api.Tests.Decisions;

/// <summary>
/// A second broker node sharing the first one's database schema, signing keys, token issuer and pseudonym
/// key, as nodes behind one load balancer do. Its policy engine waits at <see cref="Gate"/>, so a test can
/// hold a request between reading and committing while the first node answers.
/// </summary>
public sealed class SecondNodeBrokerFactory(BrokerFactory first) : BrokerFactory
{
    public EvaluationGate Gate { get; } = new();

    protected override IDictionary<string, string?> Settings
    {
        get
        {
            var settings = base.Settings;
            settings["Marten:Schema"] = first.Schema;
            // The first node's daemon builds the shared projections; two daemons in Solo mode would race.
            settings["Marten:DaemonMode"] = "Disabled";
            return settings;
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Identity:DevelopmentIssuer:KeyPath", first.IssuerKeyPath);
        builder.UseSetting("Identity:PseudonymKeyPath", Path.Combine(first.DataDirectory, "pseudonym-key"));
        builder.UseSetting("Signing:KeyDirectory", first.SigningKeyDirectory);
        builder.ConfigureTestServices(services => services.AddSingleton<IPolicyEngine>(new GatedEngine(new EmbeddedRegoEngine(RegoOptions.Default), Gate)));
    }

    public sealed class EvaluationGate
    {
        private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Completes when the first evaluation reached the gate: the request has read everything it decides on.</summary>
        public Task Entered => _entered.Task;

        public void Open() => _opened.TrySetResult();

        internal async Task PassAsync(CancellationToken ct)
        {
            _entered.TrySetResult();
            await _opened.Task.WaitAsync(ct);
        }
    }

    private sealed class GatedEngine(IPolicyEngine inner, EvaluationGate gate) : IPolicyEngine
    {
        public string Name => inner.Name;

        public Task ActivateAsync(PolicyBundle bundle, CancellationToken ct) => inner.ActivateAsync(bundle, ct);

        public Task EnsureLoadedAsync(PolicyBundle bundle, CancellationToken ct) => inner.EnsureLoadedAsync(bundle, ct);

        public async Task<JsonNode?> EvaluateAsync(PolicyBundle bundle, string query, JsonNode input, CancellationToken ct)
        {
            await gate.PassAsync(ct);
            return await inner.EvaluateAsync(bundle, query, input, ct);
        }
    }
}
