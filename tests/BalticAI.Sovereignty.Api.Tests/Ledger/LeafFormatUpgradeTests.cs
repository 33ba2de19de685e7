extern alias cli;
using System.Text;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Ledger.Tree;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using BalticAI.Sovereignty.Transparency.Export;
using BalticAI.Sovereignty.Transparency.Leaves;
using BalticAI.Sovereignty.Transparency.Merkle;
using BalticAI.Sovereignty.Transparency.Verification;
using Npgsql;
using DatabaseExporter = cli::BalticAI.Sovereignty.Cli.Ledger.DatabaseExporter;

namespace BalticAI.Sovereignty.Api.Tests.Ledger;

/// <summary>
/// A ledger begun before leaves digested the event headers: its entries keep the leaves they were hashed
/// as (a tree never changes), and the broker of this build goes on with leaves that cover who acted.
/// The first broker's tree is rewritten as the earlier build wrote it (format 1 leaves, no format column),
/// then a second broker starts on the same schema.
/// </summary>
[Collection(LedgerCollection.Name)]
public sealed class LeafFormatUpgradeTests
{
    [Fact]
    public async Task Entries_before_the_upgrade_keep_their_leaves_and_later_ones_cover_who_acted()
    {
        var schema = "t_" + Guid.NewGuid().ToString("N")[..20];
        await using (var earlier = new KeptSchemaBroker(schema))
        {
            await earlier.WaitForCheckpointAsync((await earlier.AppendAsync(5, "before", Tampering.Ministry))[^1]);
        }
        var before = await RewriteAsFormatOneAsync(schema);

        await using var broker = new UpgradedBroker(schema);
        var after = await broker.AppendAsync(3, "after", Tampering.Ministry);
        await broker.WaitForCheckpointAsync(after[^1]);

        var formats = await broker.Ledger.ReadEntriesAsync(0, before + 50, CancellationToken.None).Select(e => e.Format).ToListAsync();
        formats.Take((int)before).ShouldAllBe(f => f == LedgerLeaf.DataOnly);
        formats.Skip((int)before).ShouldAllBe(f => f == LedgerLeaf.WithHeaders);
        var overApi = await broker.ExportAndVerifyAsync();
        overApi.Problems.ShouldBeEmpty();
        overApi.HeadersCoveredFrom.ShouldBe(before);
        var fromDatabase = await ExportFromDatabaseAndVerifyAsync(broker);
        fromDatabase.Problems.ShouldBeEmpty();
        fromDatabase.HeadersCoveredFrom.ShouldBe(before);

        var changed = (await broker.Ledger.FindByEventAsync(after[1], CancellationToken.None))!.Value;
        await broker.ExecuteAsync($$"""update {schema}.mt_events set headers = jsonb_set(headers, '{actor_org}', '"pl-uodo"') where seq_id = {{changed.Sequence}}""");
        (await broker.ExportAndVerifyAsync()).ShouldName(changed.Index, "differs from what the tree recorded");
        (await ExportFromDatabaseAndVerifyAsync(broker)).ShouldName(changed.Index, "differs from what the tree recorded");
    }

    /// <summary>
    /// What the earlier build left: leaves without the headers digest, the tree's nodes over those, no format
    /// column. Its checkpoints signed other roots, so they go too; the upgraded broker signs its own.
    /// Returns the number of entries.
    /// </summary>
    private static async Task<long> RewriteAsFormatOneAsync(string schema)
    {
        await using var data = NpgsqlDataSource.Create(TestServices.PostgresConnectionString);
        var tree = new MerkleAccumulator();
        var (levels, indexes, hashes) = (new List<int>(), new List<long>(), new List<byte[]>());
        await using (var rows = data.CreateCommand($"""
            select l.idx, e.seq_id, e.id, e.stream_id::text, e.type, e.timestamp, e.data::text
            from {schema}.ledger_leaves l join {schema}.mt_events e on e.seq_id = l.seq_id order by l.idx
            """))
        await using (var reader = await rows.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                var leaf = LedgerLeaf.FromRow(reader.GetInt64(0), reader.GetInt64(1), reader.GetGuid(2), reader.GetString(3), reader.GetString(4),
                    reader.GetFieldValue<DateTimeOffset>(5), reader.GetString(6), null, LedgerLeaf.DataOnly);
                tree.AppendLeaf(leaf.Encode(), (id, hash) =>
                {
                    levels.Add(id.Level);
                    indexes.Add(id.Index);
                    hashes.Add(hash.ToArray());
                });
            }
        }
        await using var rewrite = data.CreateBatch();
        rewrite.BatchCommands.Add(new($"delete from {schema}.ledger_nodes"));
        rewrite.BatchCommands.Add(new($"insert into {schema}.ledger_nodes (level, idx, hash) select * from unnest($1::int[], $2::bigint[], $3::bytea[])")
        {
            Parameters = { new() { Value = levels.ToArray() }, new() { Value = indexes.ToArray() }, new() { Value = hashes.ToArray() } },
        });
        rewrite.BatchCommands.Add(new($"delete from {schema}.ledger_cosignatures"));
        rewrite.BatchCommands.Add(new($"delete from {schema}.ledger_checkpoints"));
        rewrite.BatchCommands.Add(new($"alter table {schema}.ledger_leaves drop column format"));
        await rewrite.ExecuteNonQueryAsync();
        tree.Size.ShouldBeGreaterThanOrEqualTo(5);
        return tree.Size;
    }

    /// <summary>As `balticai ledger export --connection` and `balticai ledger verify` do.</summary>
    private static async Task<VerificationReport> ExportFromDatabaseAndVerifyAsync(LedgerBroker broker)
    {
        var jwks = await broker.CreateClient().GetStringAsync("/.well-known/jwks.json");
        var keys = JsonNode.Parse(jwks)!["keys"]!.AsArray().Select(k => k!.AsObject()).ToList();
        using var file = new MemoryStream();
        await DatabaseExporter.ExportAsync(TestServices.PostgresConnectionString, broker.Schema, keys, file, CancellationToken.None);
        Encoding.UTF8.GetString(file.ToArray()).ShouldStartWith("{\"format\":\"" + LedgerExportFormat.Version + "\"");
        var verifier = new LedgerVerifier();
        LedgerExportReader.Read(new MemoryStream(file.ToArray()), verifier);
        return verifier.Finish();
    }

    private sealed class KeptSchemaBroker(string schema) : LedgerBroker(schema)
    {
        protected override bool DropsSchema => false;
    }

    private sealed class UpgradedBroker(string schema) : LedgerBroker(schema);
}
