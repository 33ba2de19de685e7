using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Transparency.Verification;

namespace BalticAI.Sovereignty.Api.Tests.Ledger;

/// <summary>
/// Someone with write access to PostgreSQL changes history under signed checkpoints; the offline
/// verifier must notice and name the entry. One broker per case, so each starts from a clean ledger.
/// </summary>
public static class Tampering
{
    /// <summary>Who appended the events, as every broker write records it.</summary>
    public static readonly Actor Ministry = new("pl-mc", "PL", "balticai-cli", "ps:T0bYsrqgiU6tgMqSFhXFng");

    /// <summary>Ten events (entries 0..9) under a signed checkpoint; returns the Marten sequence of each entry.</summary>
    public static async Task<List<long>> SignedLedgerAsync(LedgerBroker broker)
    {
        await broker.WaitForCheckpointAsync((await broker.AppendAsync(10, "tamper", Ministry))[^1]);
        var sequences = new List<long>();
        await foreach (var row in broker.Ledger.ReadEntriesAsync(0, 10, CancellationToken.None))
        {
            sequences.Add(row.Sequence);
        }
        (await broker.ExportAndVerifyAsync()).Problems.ShouldBeEmpty();
        return sequences;
    }

    public static void ShouldName(this VerificationReport report, long index, string because)
    {
        report.Valid.ShouldBeFalse();
        report.Problems[0].Index.ShouldBe(index);
        report.Problems[0].Message.ShouldContain(because);
    }
}

[Collection(LedgerCollection.Name)]
public sealed class AlteredEventTests(LedgerBroker broker) : IClassFixture<LedgerBroker>
{
    [Fact]
    public async Task Changing_an_event_row_is_detected_at_that_entry()
    {
        var sequences = await Tampering.SignedLedgerAsync(broker);

        await broker.ExecuteAsync($$"""update {schema}.mt_events set data = jsonb_set(data, '{name}', '"forged"') where seq_id = {{sequences[4]}}""");
        var report = await broker.ExportAndVerifyAsync();

        report.ShouldName(4, "differs from what the tree recorded");
    }
}

[Collection(LedgerCollection.Name)]
public sealed class AlteredActorTests(LedgerBroker broker) : IClassFixture<LedgerBroker>
{
    /// <summary>Who acted is in the event headers, outside the data; the leaf digests them too.</summary>
    [Fact]
    public async Task Changing_who_acted_is_detected_at_that_entry()
    {
        var sequences = await Tampering.SignedLedgerAsync(broker);

        await broker.ExecuteAsync($$"""update {schema}.mt_events set headers = jsonb_set(headers, '{actor_org}', '"pl-uodo"') where seq_id = {{sequences[3]}}""");
        var report = await broker.ExportAndVerifyAsync();

        report.ShouldName(3, "differs from what the tree recorded");
    }
}

[Collection(LedgerCollection.Name)]
public sealed class DeletedEventTests(LedgerBroker broker) : IClassFixture<LedgerBroker>
{
    [Fact]
    public async Task Deleting_an_event_row_is_detected_at_that_entry()
    {
        var sequences = await Tampering.SignedLedgerAsync(broker);

        await broker.ExecuteAsync($"delete from {{schema}}.mt_events where seq_id = {sequences[6]}");
        var report = await broker.ExportAndVerifyAsync();

        report.ShouldName(6, "missing");
    }
}

[Collection(LedgerCollection.Name)]
public sealed class SwappedEventTests(LedgerBroker broker) : IClassFixture<LedgerBroker>
{
    [Fact]
    public async Task Swapping_two_events_is_detected_at_the_first_of_them()
    {
        var sequences = await Tampering.SignedLedgerAsync(broker);
        var (a, b) = (sequences[2], sequences[7]);

        await broker.ExecuteAsync($"""
            update {"{schema}"}.mt_events set seq_id = -1 where seq_id = {a};
            update {"{schema}"}.mt_events set seq_id = {a} where seq_id = {b};
            update {"{schema}"}.mt_events set seq_id = {b} where seq_id = -1;
            """);
        var report = await broker.ExportAndVerifyAsync();

        report.ShouldName(2, "differs from what the tree recorded");
        report.Problems.ShouldContain(p => p.Index == 7);
    }
}

[Collection(LedgerCollection.Name)]
public sealed class RewrittenTreeTests(LedgerBroker broker) : IClassFixture<LedgerBroker>
{
    [Fact]
    public async Task Rewriting_the_event_and_the_tree_together_still_breaks_the_signed_root()
    {
        var sequences = await Tampering.SignedLedgerAsync(broker);

        // Forge the row and make the stored leaf hash agree with it: only the signature is left to catch it.
        await broker.ExecuteAsync($$"""update {schema}.mt_events set data = jsonb_set(data, '{name}', '"forged"') where seq_id = {{sequences[5]}}""");
        await foreach (var row in broker.Ledger.ReadEntriesAsync(5, 1, CancellationToken.None))
        {
            var leaf = BalticAI.Sovereignty.Api.Ledger.Tree.LedgerTreeBuilder.ToLeaf(5, row.Event!).Encode();
            var hash = Convert.ToHexString(BalticAI.Sovereignty.Transparency.Merkle.MerkleHash.Leaf(leaf));
            await broker.ExecuteAsync($"update {{schema}}.ledger_nodes set hash = '\\x{hash}'::bytea where level = 0 and idx = 5");
        }
        var report = await broker.ExportAndVerifyAsync();

        report.Valid.ShouldBeFalse();
        report.Problems.ShouldContain(p => p.Message.Contains("differs from the signed root"));
    }
}
