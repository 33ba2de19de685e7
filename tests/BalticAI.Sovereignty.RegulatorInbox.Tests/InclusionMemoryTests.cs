using BalticAI.Sovereignty.RegulatorInbox.Storage;
using BalticAI.Sovereignty.RegulatorInbox.Tests.Fixtures;
using BalticAI.Sovereignty.RegulatorInbox.Witnessing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace BalticAI.Sovereignty.RegulatorInbox.Tests;

/// <summary>
/// What the witness reads each round to prove envelopes in its cosigned history: only those not yet settled, from
/// the sequence through which every envelope is settled, never past a gap that a redelivery may still fill.
/// </summary>
public sealed class InclusionMemoryTests : IAsyncLifetime
{
    private readonly InboxFactory _inbox = new();

    private InclusionMemory Memory => _inbox.Services.GetRequiredService<InclusionMemory>();

    public async Task InitializeAsync()
    {
        await _inbox.Services.GetRequiredService<InboxStore>().CreateAsync(CancellationToken.None);
        await Memory.CreateAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_round_reads_the_unsettled_envelopes_and_settles_only_through_the_first_gap()
    {
        // Envelopes 1-3 and 5-6 are stored; 4 has not arrived.
        await StoreAsync(1, 2, 3, 5, 6);
        await Memory.RecordProvenAsync(Id(1), 10, 100, CancellationToken.None);
        await Memory.RecordProblemAsync(Id(2), "the event's row differs from what the tree recorded", CancellationToken.None);

        var unsettled = await Memory.UnprovenAsync(0, 500, CancellationToken.None);
        var after = await Memory.UnprovenAsync(3, 500, CancellationToken.None);

        unsettled.ShouldBe([(3L, Id(3)), (5L, Id(5)), (6L, Id(6))]);
        after.ShouldBe([(5L, Id(5)), (6L, Id(6))]);
        (await Memory.StoredThroughAsync(0, 6, CancellationToken.None)).ShouldBe(3);
        (await Memory.StoredThroughAsync(4, 6, CancellationToken.None)).ShouldBe(6);
        var status = await Memory.StatusAsync(CancellationToken.None);
        status.ShouldBe(new InclusionStatus(1, 3, 1, $"{Id(2)}: the event's row differs from what the tree recorded"));
    }

    private static string Id(long seq) => $"00000000-0000-0000-0000-{seq:D12}";

    private async Task StoreAsync(params long[] seqs)
    {
        await using var connection = new NpgsqlConnection(InboxFactory.Postgres);
        await connection.OpenAsync();
        foreach (var seq in seqs)
        {
            await using var insert = new NpgsqlCommand(
                $"insert into {_inbox.Schema}.envelopes (seq, id, body, hash, prevhash, kid) values (@seq, @id, '\\x00', 'h{seq}', 'p{seq}', 'k')", connection);
            insert.Parameters.AddWithValue("seq", seq);
            insert.Parameters.AddWithValue("id", Id(seq));
            await insert.ExecuteNonQueryAsync();
        }
    }

    public async Task DisposeAsync() => await _inbox.DisposeAsync();
}
