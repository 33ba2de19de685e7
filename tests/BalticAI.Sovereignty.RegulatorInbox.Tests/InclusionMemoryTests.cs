using BalticAI.Sovereignty.RegulatorInbox.Storage;
using BalticAI.Sovereignty.RegulatorInbox.Tests.Fixtures;
using BalticAI.Sovereignty.RegulatorInbox.Witnessing;
using BalticAI.Sovereignty.Transparency.Witnessing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace BalticAI.Sovereignty.RegulatorInbox.Tests;

/// <summary>
/// What the witness reads each round to prove envelopes in its cosigned history: only those not yet settled, from
/// the sequence through which every envelope is settled, never past a gap that a redelivery may still fill; and what
/// an audit pass over the log records of them.
/// </summary>
public sealed class InclusionMemoryTests : IAsyncLifetime
{
    private readonly InboxFactory _inbox = new(("Inbox:Witness:AuditedEntriesKept", "4"));

    private InclusionMemory Memory => _inbox.Services.GetRequiredService<InclusionMemory>();

    private LogAuditMemory Audits => _inbox.Services.GetRequiredService<LogAuditMemory>();

    public async Task InitializeAsync()
    {
        await _inbox.Services.GetRequiredService<InboxStore>().CreateAsync(CancellationToken.None);
        await Memory.CreateAsync(CancellationToken.None);
        await Audits.CreateAsync(CancellationToken.None);
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

    [Fact]
    public async Task An_audit_pass_keeps_its_entries_which_prove_envelopes_whenever_they_arrive()
    {
        await StoreAsync(1, 2, 3, 4);
        var (pruned, late) = (Guid.NewGuid(), Guid.NewGuid());
        var middle = new AuditPosition(2, [new byte[32]]);
        var right = new AuditPosition(6, [new byte[32], Enumerable.Repeat((byte)1, 32).ToArray()]);
        var first = new AuditPass(AuditPosition.Start, middle, [new AuditedEntry(0, pruned, null), new AuditedEntry(1, Guid.Parse(Id(1)), null)], null);
        var pass = new AuditPass(middle, right, [
            new AuditedEntry(2, Guid.Parse(Id(2)), null),
            new AuditedEntry(3, Guid.Parse(Id(3)), "the event's row differs from what the tree recorded"),
            new AuditedEntry(4, null, "the event's row is missing from the broker's store"),
            new AuditedEntry(5, late, null),
        ], null);

        await Audits.RecordAsync(first, CancellationToken.None);
        var proven = await Audits.ProveAuditedAsync(0, 2, CancellationToken.None);
        await Audits.RecordAsync(pass, CancellationToken.None);
        proven += await Audits.ProveAuditedAsync(0, 9, CancellationToken.None);

        proven.ShouldBe(2);
        (await Memory.StatusAsync(CancellationToken.None)).ShouldBe(new InclusionStatus(2, 1, 1, $"{Id(3)}: the event's row differs from what the tree recorded"));
        (await Audits.StatusAsync(CancellationToken.None)).ShouldBe(new LogAuditStatus(6, 2, "entry 4: the event's row is missing from the broker's store"));
        var position = await Audits.PositionAsync(CancellationToken.None);
        position.Size.ShouldBe(6);
        position.Frontier.ShouldBe(right.Frontier);
        (await ProvenAsync(Id(2))).ShouldBe((2L, 9L));

        // Envelopes arriving after the passes: one among the kept entries is proven by them; one whose entry is older than
        // the newest `AuditedEntriesKept` (4 here) is left to be proven one by one.
        await StoreAsync(5, late.ToString());
        await StoreAsync(6, pruned.ToString());
        (await Audits.ProveAuditedAsync(4, 12, CancellationToken.None)).ShouldBe(1);
        (await ProvenAsync(late.ToString())).ShouldBe((5L, 12L));
        (await Memory.UnprovenAsync(0, 500, CancellationToken.None)).ShouldBe([(4L, Id(4)), (6L, pruned.ToString())]);

        // The same pass again (a crash before the round ended) records nothing twice.
        await Audits.RecordAsync(pass, CancellationToken.None);
        (await Audits.ProveAuditedAsync(0, 9, CancellationToken.None)).ShouldBe(0);
        (await Audits.StatusAsync(CancellationToken.None)).LogProblems.ShouldBe(2);
    }

    [Fact]
    public async Task An_inconsistent_pass_records_its_problems_only()
    {
        await StoreAsync(1);
        var pass = new AuditPass(AuditPosition.Start, new AuditPosition(1, [new byte[32]]), [new AuditedEntry(0, Guid.Parse(Id(1)), null)],
            "the leaf hashes the broker recorded for entries 0-0 do not rebuild a tree consistent with the cosigned checkpoint of size 1");

        await Audits.RecordAsync(pass, CancellationToken.None);
        (await Audits.ProveAuditedAsync(0, 1, CancellationToken.None)).ShouldBe(0);

        (await Audits.PositionAsync(CancellationToken.None)).ShouldBe(AuditPosition.Start);
        (await Memory.StatusAsync(CancellationToken.None)).ProvenInLog.ShouldBe(0);
        (await Audits.StatusAsync(CancellationToken.None)).ShouldBe(new LogAuditStatus(0, 1, "entry 0: " + pass.Inconsistency));
    }

    [Fact]
    public async Task Envelopes_stored_after_a_join_whose_entries_are_kept_are_left_to_the_next_join_not_proven_one_by_one()
    {
        // Entries 0-1 were audited and kept; envelopes 1 and 2 (events of entries 0 and 1) arrive after the round's join,
        // envelope 3's event is not among them (audited before the kept window, or not yet).
        await StoreAsync(1);
        var pass = new AuditPass(AuditPosition.Start, new AuditPosition(2, [new byte[32]]),
            [new AuditedEntry(0, Guid.Parse(Id(1)), null), new AuditedEntry(1, Guid.Parse(Id(2)), null)], null);
        await Audits.RecordAsync(pass, CancellationToken.None);
        await Audits.ProveAuditedAsync(0, 2, CancellationToken.None);
        await StoreAsync(2, 3);

        var first = await Audits.FirstKeptAsync(0, CancellationToken.None);
        await Audits.ProveAuditedAsync(0, 2, CancellationToken.None);
        var afterJoin = await Audits.FirstKeptAsync(0, CancellationToken.None);

        first.ShouldBe(2);
        afterJoin.ShouldBe(long.MaxValue);
    }

    [Fact]
    public async Task Overdue_envelopes_are_counted_only_above_the_sequence_the_witness_settled()
    {
        await StoreAsync(1, 2, 3, 4);
        await Memory.RecordProvenAsync(Id(2), 1, 10, CancellationToken.None);
        var receivedBefore = DateTimeOffset.UtcNow.AddMinutes(5);

        var all = await Memory.OverdueAsync(receivedBefore, 0, CancellationToken.None);
        var above = await Memory.OverdueAsync(receivedBefore, 3, CancellationToken.None);
        var later = await Memory.OverdueAsync(DateTimeOffset.UtcNow.AddMinutes(-5), 0, CancellationToken.None);

        all.Count.ShouldBe(3);
        above.Count.ShouldBe(1);
        later.ShouldBe((0L, (DateTimeOffset?)null));
    }

    private async Task<(long Index, long TreeSize)> ProvenAsync(string id)
    {
        await using var connection = new NpgsqlConnection(InboxFactory.Postgres);
        await connection.OpenAsync();
        await using var select = new NpgsqlCommand($"select ledger_index, tree_size from {_inbox.Schema}.envelopes_in_log where id = @id", connection);
        select.Parameters.AddWithValue("id", id);
        await using var reader = await select.ExecuteReaderAsync();
        (await reader.ReadAsync()).ShouldBeTrue();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    private static string Id(long seq) => $"00000000-0000-0000-0000-{seq:D12}";

    private async Task StoreAsync(params long[] seqs)
    {
        foreach (var seq in seqs)
        {
            await StoreAsync(seq, Id(seq));
        }
    }

    private async Task StoreAsync(long seq, string id)
    {
        await using var connection = new NpgsqlConnection(InboxFactory.Postgres);
        await connection.OpenAsync();
        await using var insert = new NpgsqlCommand(
            $"insert into {_inbox.Schema}.envelopes (seq, id, body, hash, prevhash, kid) values (@seq, @id, '\\x00', 'h{seq}', 'p{seq}', 'k')", connection);
        insert.Parameters.AddWithValue("seq", seq);
        insert.Parameters.AddWithValue("id", id);
        await insert.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync() => await _inbox.DisposeAsync();
}
