using BalticAI.Sovereignty.Api.Ledger.Tree;
using BalticAI.Sovereignty.Transparency.Checkpoints;
using Npgsql;

namespace BalticAI.Sovereignty.Api.Ledger.Checkpointing;

public sealed record StoredCheckpoint(long Size, byte[] Root, string Note, DateTimeOffset CreatedAt, IReadOnlyList<string> Cosignatures)
{
    /// <summary>The log's note with every accepted cosignature appended as a further signature line.</summary>
    public string CosignedNote => Note + string.Concat(Cosignatures.Select(c => c + "\n"));

    /// <summary>
    /// The checkpoint as it was signed. Its origin is the one in force then: witnesses cosign that text, so a
    /// later change of `Ledger:Origin` must not make their cosignatures of older checkpoints unverifiable.
    /// </summary>
    public Checkpoint Signed => SignedNote.TryParse(Note, out var note) && Checkpoint.TryParse(note.Text, out var checkpoint)
        ? checkpoint
        : throw new InvalidOperationException($"The stored note of checkpoint {Size} is not a signed checkpoint.");
}

public sealed class CheckpointStore(LedgerStore store)
{
    private string Checkpoints => store.Table(LedgerSchema.Checkpoints);
    private string Cosignatures => store.Table(LedgerSchema.Cosignatures);

    public async Task<StoredCheckpoint?> LatestAsync(CancellationToken ct) =>
        await ReadAsync($"select size, root, note, created_at from {Checkpoints} order by size desc limit 1", null, ct);

    public async Task<StoredCheckpoint?> AtSizeAsync(long size, CancellationToken ct) =>
        await ReadAsync($"select size, root, note, created_at from {Checkpoints} where size = $1", size, ct);

    /// <summary>The smallest checkpoint that covers entry <paramref name="index"/>.</summary>
    public async Task<StoredCheckpoint?> CoveringAsync(long index, CancellationToken ct) =>
        await ReadAsync($"select size, root, note, created_at from {Checkpoints} where size > $1 order by size limit 1", index, ct);

    /// <summary>
    /// The largest checkpoint <paramref name="witness"/> cosigned, or null. Read backwards along the primary key (size,
    /// witness): an active witness's latest cosignature is among the newest rows, so this stays cheap on a long log.
    /// </summary>
    public async Task<long?> LatestCosignedAsync(string witness, CancellationToken ct)
    {
        await using var command = store.DataSource.CreateCommand($"select size from {Cosignatures} where witness = $1 order by size desc limit 1");
        command.Parameters.Add(new NpgsqlParameter { Value = witness });
        return await command.ExecuteScalarAsync(ct) is long size ? size : null;
    }

    /// <summary>
    /// At most <paramref name="count"/> checkpoints of tree size <paramref name="from"/> or more with their cosignatures,
    /// oldest first, in one query.
    /// </summary>
    public async Task<List<StoredCheckpoint>> PageAsync(long from, int count, CancellationToken ct)
    {
        await using var command = store.DataSource.CreateCommand(
            $$"""
            select c.size, c.root, c.note, c.created_at, coalesce(array_agg(s.line order by s.witness) filter (where s.line is not null), '{}')
            from (select size, root, note, created_at from {{Checkpoints}} where size >= $1 order by size limit $2) c
            left join {{Cosignatures}} s on s.size = c.size
            group by c.size, c.root, c.note, c.created_at order by c.size
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = from });
        command.Parameters.Add(new NpgsqlParameter { Value = count });
        await using var reader = await command.ExecuteReaderAsync(ct);
        var result = new List<StoredCheckpoint>();
        while (await reader.ReadAsync(ct))
        {
            result.Add(new StoredCheckpoint(reader.GetInt64(0), reader.GetFieldValue<byte[]>(1), reader.GetString(2),
                reader.GetFieldValue<DateTimeOffset>(3), reader.GetFieldValue<string[]>(4)));
        }
        return result;
    }

    public async Task AddAsync(long size, byte[] root, string note, CancellationToken ct)
    {
        await using var command = store.DataSource.CreateCommand($"insert into {Checkpoints} (size, root, note) values ($1, $2, $3) on conflict (size) do nothing");
        command.Parameters.Add(new NpgsqlParameter { Value = size });
        command.Parameters.Add(new NpgsqlParameter { Value = root });
        command.Parameters.Add(new NpgsqlParameter { Value = note });
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// Replaces the note of checkpoint <paramref name="size"/> (same text, other signatures) if it is
    /// still <paramref name="expectedNote"/>; false when another node changed it first.
    /// </summary>
    public async Task<bool> ReplaceNoteAsync(long size, string expectedNote, string note, CancellationToken ct)
    {
        await using var command = store.DataSource.CreateCommand($"update {Checkpoints} set note = $3 where size = $1 and note = $2");
        command.Parameters.Add(new NpgsqlParameter { Value = size });
        command.Parameters.Add(new NpgsqlParameter { Value = expectedNote });
        command.Parameters.Add(new NpgsqlParameter { Value = note });
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    /// <summary>Keeps one cosignature per witness and checkpoint; a newer one replaces the older.</summary>
    public async Task AddCosignatureAsync(long size, string witness, string line, CancellationToken ct)
    {
        await using var command = store.DataSource.CreateCommand(
            $"insert into {Cosignatures} (size, witness, line) values ($1, $2, $3) on conflict (size, witness) do update set line = excluded.line, created_at = now()");
        command.Parameters.Add(new NpgsqlParameter { Value = size });
        command.Parameters.Add(new NpgsqlParameter { Value = witness });
        command.Parameters.Add(new NpgsqlParameter { Value = line });
        await command.ExecuteNonQueryAsync(ct);
    }

    private async Task<StoredCheckpoint?> ReadAsync(string sql, long? parameter, CancellationToken ct)
    {
        long size;
        byte[] root;
        string note;
        DateTimeOffset createdAt;
        await using (var command = store.DataSource.CreateCommand(sql))
        {
            if (parameter is { } value)
            {
                command.Parameters.Add(new NpgsqlParameter { Value = value });
            }
            await using var reader = await command.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct))
            {
                return null;
            }
            (size, root, note, createdAt) = (reader.GetInt64(0), reader.GetFieldValue<byte[]>(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3));
        }
        var cosignatures = new List<string>();
        await using (var command = store.DataSource.CreateCommand($"select line from {Cosignatures} where size = $1 order by witness"))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = size });
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                cosignatures.Add(reader.GetString(0));
            }
        }
        return new StoredCheckpoint(size, root, note, createdAt, cosignatures);
    }
}
