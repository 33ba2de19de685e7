using BalticAI.Sovereignty.Api.Datasets;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Ledger.Tree;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace BalticAI.Sovereignty.Api.Tests.Ledger;

/// <summary>
/// Marten (9.58, rich appends) takes a session's sequence numbers with a statement of their own, before the
/// transaction that inserts the events begins. A write that stalled between the two (a paused process, a starved
/// thread) left a gap no live transaction could be seen to hold, the daemon skipped it after its stale threshold, and
/// the acknowledged events were never in the tree, the index or any feed. Every write now takes its numbers inside
/// its transaction, which the daemon sees and waits for (LateCommitTests covers a transaction that commits late).
/// </summary>
[Collection(LedgerCollection.Name)]
public sealed class StalledCommitTests(InterleavingBroker broker) : IClassFixture<InterleavingBroker>
{
    /// <summary>Marten's stale-sequence threshold is 3 s; the stall lasts well past it and several polls.</summary>
    private static readonly TimeSpan Stall = TimeSpan.FromSeconds(8);

    private HttpClient Owner => broker.ClientFor(TestTenants.PlMinistry, Roles.DataOwner);

    [Fact]
    public async Task A_write_stalled_after_taking_its_sequence_numbers_still_reaches_the_tree_in_ledger_order()
    {
        var (first, _) = await Owner.RegisterAsync();
        (await WaitForEntryAsync(first)).ShouldNotBeNull("the daemon runs");
        var later = Guid.Empty;
        string? holder = null;
        broker.Interleaver.Arm<DatasetRegistered>(async (session, _) =>
        {
            holder = await TransactionOfAsync(session);
            later = (await Owner.RegisterAsync()).Id;
            await Task.Delay(Stall);
        });

        var (stalled, _) = await Owner.RegisterAsync();

        var stalledEntry = await WaitForEntryAsync(stalled);
        var laterEntry = await WaitForEntryAsync(later);
        stalledEntry.ShouldNotBeNull("the stalled write's event was skipped: it is not in the tree");
        laterEntry.ShouldNotBeNull();
        stalledEntry.Value.ShouldBeLessThan(laterEntry!.Value, "entries keep the ledger's order");
        holder.ShouldBe("in a transaction", "the stalled write's numbers were taken outside any transaction the daemon could see");
    }

    /// <summary>Whether the session's backend is inside a transaction, as the daemon's probe reads pg_stat_activity.</summary>
    private static async Task<string> TransactionOfAsync(Marten.IDocumentSession session)
    {
        var pid = ((NpgsqlConnection)session.Connection!).ProcessID;
        await using var probe = new NpgsqlConnection(TestServices.PostgresConnectionString);
        await probe.OpenAsync();
        await using var command = new NpgsqlCommand("select xact_start is not null from pg_stat_activity where pid = @pid", probe);
        command.Parameters.AddWithValue("pid", pid);
        return (bool)(await command.ExecuteScalarAsync())! ? "in a transaction" : "outside any transaction";
    }

    /// <summary>The tree index of the registration of <paramref name="dataset"/>, or null when it is not there within 30 s.</summary>
    private async Task<long?> WaitForEntryAsync(Guid dataset)
    {
        var ledger = broker.Services.GetRequiredService<LedgerStore>();
        var eventId = await RegistrationEventAsync(dataset);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (await ledger.FindByEventAsync(eventId, CancellationToken.None) is { } found)
            {
                return found.Index;
            }
            await Task.Delay(100);
        }
        return null;
    }

    private async Task<Guid> RegistrationEventAsync(Guid dataset)
    {
        await using var connection = new NpgsqlConnection(TestServices.PostgresConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"select id from {broker.Schema}.mt_events where stream_id = @id and type = 'dataset_registered'", connection);
        command.Parameters.AddWithValue("id", dataset);
        return (Guid)(await command.ExecuteScalarAsync())!;
    }
}
