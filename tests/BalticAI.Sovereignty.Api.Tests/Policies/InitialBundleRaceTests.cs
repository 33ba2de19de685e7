using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Policies;
using BalticAI.Sovereignty.Api.Policies.Bundles;
using BalticAI.Sovereignty.Api.Policies.Engines;
using BalticAI.Sovereignty.Api.Policies.Lifecycle;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using BalticAI.Sovereignty.Rego;
using BalticAI.Sovereignty.Tests.Shared;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace BalticAI.Sovereignty.Api.Tests.Policies;

/// <summary>
/// A node recording the shipped bundle at start races an activation (on another node, or a policy
/// administrator's right after start): whichever commits first, the activation is what stays active.
/// </summary>
public sealed class InitialBundleRaceTests(BrokerFactory broker) : IClassFixture<BrokerFactory>
{
    [Fact]
    public async Task The_shipped_bundle_recorded_at_start_never_replaces_an_activation()
    {
        var store = broker.Services.GetRequiredService<IDocumentStore>();
        var options = broker.Services.GetRequiredService<PolicyOptions>();
        var activation = new PolicyBundle("race-1",
            [new BundleModule("access/access.rego", TestPolicyBundle.Policy), new BundleModule("access/access_test.rego", TestPolicyBundle.Tests)],
            new JsonObject { ["balticai"] = new JsonObject { ["allowedCountries"] = new JsonArray("PL") } });

        for (var round = 0; round < 6; round++)
        {
            await ForgetActivationsAsync();
            var starting = new PolicyLifecycle(store, new EmbeddedRegoEngine(RegoOptions.Default), options, TimeProvider.System);
            var administering = new PolicyLifecycle(store, new EmbeddedRegoEngine(RegoOptions.Default), options, TimeProvider.System);

            await Task.WhenAll(
                Task.Run(() => starting.LoadOrRecordInitialAsync(Api.Policies.PolicySetup.BrokerActor, CancellationToken.None)),
                Task.Run(() => administering.ActivateAsync(activation, Api.Policies.PolicySetup.BrokerActor, CancellationToken.None)));
            await starting.RefreshAsync(CancellationToken.None);

            await using var session = store.QuerySession();
            var pointer = await session.LoadAsync<ActivePolicyPointer>(ActivePolicyPointer.SingletonId);
            pointer!.Digest.ShouldBe(activation.Digest, $"round {round}");
            starting.Active.Digest.ShouldBe(activation.Digest, $"round {round}");
        }
    }

    private async Task ForgetActivationsAsync()
    {
        await using var connection = new Npgsql.NpgsqlConnection(TestServices.PostgresConnectionString);
        await connection.OpenAsync();
        var schema = broker.Schema;
        await using var command = new Npgsql.NpgsqlCommand(
            $"delete from {schema}.mt_events where stream_id = @stream; delete from {schema}.mt_streams where id = @stream; delete from {schema}.mt_doc_activepolicypointer;",
            connection);
        command.Parameters.AddWithValue("stream", PolicyLifecycle.StreamId);
        await command.ExecuteNonQueryAsync();
    }
}
