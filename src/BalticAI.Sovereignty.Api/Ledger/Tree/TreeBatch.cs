using BalticAI.Sovereignty.Transparency.Leaves;
using BalticAI.Sovereignty.Transparency.Merkle;
using Npgsql;

namespace BalticAI.Sovereignty.Api.Ledger.Tree;

/// <summary>Rows one chunk adds to the tree, written with two array inserts instead of a statement per row.</summary>
internal sealed class TreeBatch(int leaves)
{
    private readonly List<long> _indexes = new(leaves);
    private readonly List<long> _sequences = new(leaves);
    private readonly List<Guid> _eventIds = new(leaves);
    private readonly List<int> _levels = new(leaves * 2);
    private readonly List<long> _nodeIndexes = new(leaves * 2);
    private readonly List<byte[]> _hashes = new(leaves * 2);

    public void AddLeaf(long index, long sequence, Guid eventId)
    {
        _indexes.Add(index);
        _sequences.Add(sequence);
        _eventIds.Add(eventId);
    }

    public void AddNode(NodeId id, ReadOnlySpan<byte> hash)
    {
        _levels.Add(id.Level);
        _nodeIndexes.Add(id.Index);
        _hashes.Add(hash.ToArray());
    }

    /// <summary>Both inserts in one transaction: a chunk is either wholly in the tree or not at all.</summary>
    public async Task WriteAsync(LedgerStore store, CancellationToken ct)
    {
        await using var connection = await store.DataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand($"insert into {store.Table(LedgerSchema.Leaves)} (idx, seq_id, event_id, format) select *, $4 from unnest($1::bigint[], $2::bigint[], $3::uuid[])")
                {
                    Parameters =
                    {
                        new() { Value = _indexes.ToArray() }, new() { Value = _sequences.ToArray() }, new() { Value = _eventIds.ToArray() },
                        new() { Value = LedgerLeaf.WithHeaders },
                    },
                },
                new NpgsqlBatchCommand($"insert into {store.Table(LedgerSchema.Nodes)} (level, idx, hash) select * from unnest($1::int[], $2::bigint[], $3::bytea[])")
                {
                    Parameters = { new() { Value = _levels.ToArray() }, new() { Value = _nodeIndexes.ToArray() }, new() { Value = _hashes.ToArray() } },
                },
            },
        };
        await batch.ExecuteNonQueryAsync(ct);
        await transaction.CommitAsync(ct);
    }
}
