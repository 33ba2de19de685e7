using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Decisions.Grants.Revoking;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using JasperFx.Events.Daemon;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using static BalticAI.Sovereignty.Api.Tests.Decisions.ShippedBundleApi;
using static BalticAI.Sovereignty.Api.Tests.Sites.SiteGrantsApi;

namespace BalticAI.Sovereignty.Api.Tests.Decisions;

/// <summary>
/// Grants whose facts are amended: the PL ministry amends its dataset's terms, pl-cyfronet's data plane releases
/// under a grant, and what each grant's decision read is looked up in its `GrantIssued`.
/// </summary>
public static class AmendedGrants
{
    public static async Task<HttpResponseMessage> AmendAsync(BrokerFactory broker, Guid dataset, string patch)
    {
        var owner = broker.ClientFor(TestTenants.PlMinistry, Roles.DataOwner);
        var etag = (await owner.GetAsync($"/datasets/{dataset}")).Headers.ETag!.ToString();
        return await owner.PatchTermsAsync(dataset, JsonNode.Parse(patch)!, etag);
    }

    /// <summary>The revoker reads nothing while <paramref name="act"/> runs, as in a backlog; then it reads everything recorded meanwhile.</summary>
    public static async Task<T> WhileTheRevokerIsStoppedAsync<T>(BrokerFactory broker, Func<Task<T>> act)
    {
        var daemon = broker.Services.GetRequiredService<IProjectionCoordinator>().DaemonForMainDatabase();
        await daemon.StopAgentAsync(GrantRevoker.SubscriptionName + ":All");
        try
        {
            return await act();
        }
        finally
        {
            await daemon.StartAgentAsync(GrantRevoker.SubscriptionName + ":All", CancellationToken.None);
        }
    }

    public static Task<HttpResponseMessage> RedeemAsync(BrokerFactory broker, string grantId) =>
        broker.ClientFor(TestTenants.PlCyfronet, Roles.DataPlane).PostJsonAsync($"/grants/{grantId}/redemptions", GrantTokens.Release(grantId, 1));

    /// <summary>
    /// Sends <paramref name="release"/> again, as a data plane honouring Retry-After would, while its grant waits for
    /// the revoker's re-decision (503), for at most 30 s; the first other answer.
    /// </summary>
    public static async Task<HttpResponseMessage> OnceRedecidedAsync(Func<Task<HttpResponseMessage>> release)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var response = await release();
            if (response.StatusCode != System.Net.HttpStatusCode.ServiceUnavailable || DateTime.UtcNow > deadline)
            {
                return response;
            }
            await Task.Delay(200);
        }
    }

    /// <summary>
    /// Waits until the grant revoker has read past everything recorded so far: it reads the ledger in order, so once a
    /// marker grant on <paramref name="site"/>, whose dataset is then withdrawn, shows revoked, all before it was judged.
    /// </summary>
    public static async Task RevokerCaughtUpAsync(BrokerFactory broker, Guid site)
    {
        var marker = await RegisterAsync(broker, Documented("Marker"));
        var decided = await DecideAsync(broker, site, marker, _ => { });
        decided["allowed"]!.GetValue<bool>().ShouldBeTrue(decided.ToJsonString());
        var grant = GrantTokens.Remember(decided["grant"]!);
        await WithdrawAsync(broker, marker);
        (await WaitForGrantAsync(broker, grant, g => g["status"]!.GetValue<string>() == "revoked"))["status"]!.GetValue<string>().ShouldBe("revoked");
    }

    /// <summary>A number the grant's `GrantIssued` recorded (`DatasetRevision`, `SiteVersion`): what its decision read.</summary>
    public static async Task<long> IssuedWithAsync(BrokerFactory broker, string grantId, string member)
    {
        await using var connection = new NpgsqlConnection(TestServices.PostgresConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"select (data ->> @member)::bigint from {broker.Schema}.mt_events where type = 'grant_issued' and stream_id = @grant", connection);
        command.Parameters.AddWithValue("member", member);
        command.Parameters.AddWithValue("grant", Guid.Parse(grantId));
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>
    /// Holds the revoker inside the window, as a backlog would, with row locks that only it needs: a share lock on the
    /// grant's job's stream row (a revocation appends to the grant and its job in one commit, and an append waits for
    /// it) and its progress row (saving its progress past the amendment waits). A release appends to the grant alone
    /// and reads the job's row for share too (a closure of the job must not land under it), so it is never held by them.
    /// </summary>
    public static async Task<T> WhileTheRevokerIsHeldAsync<T>(BrokerFactory broker, string grant, Func<Task<T>> act)
    {
        var job = Guid.Parse((await GrantAsync(broker, grant))["jobId"]!.GetValue<string>());
        await using var connection = new NpgsqlConnection(TestServices.PostgresConnectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var hold = new NpgsqlCommand(
            $"""
            select 1 from {broker.Schema}.mt_streams where id = @job for share;
            select 1 from {broker.Schema}.mt_event_progression where name = @revoker for update;
            """, connection, transaction))
        {
            hold.Parameters.AddWithValue("job", job);
            hold.Parameters.AddWithValue("revoker", GrantRevoker.SubscriptionName + ":All");
            await hold.ExecuteNonQueryAsync();
        }
        try
        {
            return await act();
        }
        finally
        {
            await transaction.RollbackAsync();
        }
    }
}
