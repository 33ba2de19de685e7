using BalticAI.Sovereignty.Api.Ledger.Checkpointing;
using BalticAI.Sovereignty.Api.Ledger.GettingProofs;
using BalticAI.Sovereignty.Api.Ledger.Tree;
using BalticAI.Sovereignty.Transparency.Merkle;
using BenchmarkDotNet.Attributes;
using Npgsql;
using NpgsqlTypes;

namespace BalticAI.Sovereignty.LedgerBenchmarks;

/// <summary>
/// Proof latency at 1,000,000 entries, through the broker's own ProofService against PostgreSQL. The
/// node store is filled once (schema `ledger_bench`) by COPY with the nodes a real tree of that size has.
/// </summary>
public class ProofBenchmarks
{
    private const string Schema = "ledger_bench";
    private static readonly string ConnectionString =
        Environment.GetEnvironmentVariable("BALTICAI_BENCH_POSTGRES") ?? "Host=127.0.0.1;Port=5432;Database=balticai;Username=balticai;Password=balticai";
    private NpgsqlDataSource _dataSource = null!;
    private ProofService _proofs = null!;
    private readonly Random _random = new(7);

    [Params(1_000_000)]
    public int Entries { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _dataSource = NpgsqlDataSource.Create(ConnectionString);
        FillAsync().GetAwaiter().GetResult();
        var ledger = new LedgerStore(_dataSource, Schema);
        _proofs = new ProofService(ledger, new CheckpointStore(ledger));
    }

    private async Task FillAsync()
    {
        await using (var check = _dataSource.CreateCommand($"select count(*) from information_schema.tables where table_schema = '{Schema}' and table_name = 'ledger_leaves'"))
        {
            if ((long)(await check.ExecuteScalarAsync())! == 1)
            {
                await using var size = _dataSource.CreateCommand($"select count(*) from {Schema}.ledger_leaves");
                if ((long)(await size.ExecuteScalarAsync())! == Entries)
                {
                    return;
                }
            }
        }
        await using (var create = _dataSource.CreateCommand($"""
            drop schema if exists {Schema} cascade;
            create schema {Schema};
            create table {Schema}.ledger_leaves (idx bigint primary key, seq_id bigint not null, event_id uuid not null);
            create index on {Schema}.ledger_leaves (event_id);
            create table {Schema}.ledger_nodes (level integer, idx bigint, hash bytea not null, primary key (level, idx));
            create table {Schema}.ledger_checkpoints (size bigint primary key, root bytea not null, note text not null, created_at timestamptz not null default now());
            create table {Schema}.ledger_cosignatures (size bigint, witness varchar, line varchar not null, created_at timestamptz not null default now(), primary key (size, witness));
            """))
        {
            await create.ExecuteNonQueryAsync();
        }
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using (var nodes = await connection.BeginBinaryImportAsync($"copy {Schema}.ledger_nodes (level, idx, hash) from stdin (format binary)"))
        {
            var tree = new MerkleAccumulator();
            for (long i = 0; i < Entries; i++)
            {
                tree.AppendLeaf(SyntheticLedger.Leaf(i), (id, hash) =>
                {
                    nodes.StartRow();
                    nodes.Write(id.Level, NpgsqlDbType.Integer);
                    nodes.Write(id.Index, NpgsqlDbType.Bigint);
                    nodes.Write(hash.ToArray(), NpgsqlDbType.Bytea);
                });
            }
            await nodes.CompleteAsync();
        }
        await using (var leaves = await connection.BeginBinaryImportAsync($"copy {Schema}.ledger_leaves (idx, seq_id, event_id) from stdin (format binary)"))
        {
            for (long i = 0; i < Entries; i++)
            {
                leaves.StartRow();
                leaves.Write(i, NpgsqlDbType.Bigint);
                leaves.Write(i + 1, NpgsqlDbType.Bigint);
                leaves.Write(Guid.NewGuid(), NpgsqlDbType.Uuid);
            }
            await leaves.CompleteAsync();
        }
        await using var analyze = new NpgsqlCommand($"analyze {Schema}.ledger_nodes; analyze {Schema}.ledger_leaves", connection);
        await analyze.ExecuteNonQueryAsync();
    }

    [Benchmark(Description = "inclusion proof, random entry, tree of 1M")]
    public async Task<InclusionProofResponse> Inclusion() => await _proofs.InclusionAsync(_random.NextInt64(Entries), Entries, CancellationToken.None);

    [Benchmark(Description = "consistency proof, random older size -> 1M")]
    public async Task<ConsistencyProofResponse> Consistency() => await _proofs.ConsistencyAsync(_random.NextInt64(1, Entries), Entries, CancellationToken.None);

    [GlobalCleanup]
    public void Cleanup() => _dataSource.Dispose();
}
