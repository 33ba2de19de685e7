using BalticAI.Sovereignty.Transparency.Witnessing;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace BalticAI.Sovereignty.RegulatorInbox.Witnessing;

/// <summary>
/// How far the witness has audited the log (<see cref="LogAudit"/>), the entries it audited (event and index, the newest
/// `Inbox:Witness:AuditedEntriesKept`), and what it found wrong: entries whose rows no longer hash to what the tree
/// recorded, and passes whose entries did not rebuild the cosigned history. Feeds trail the tree (sealing and delivery
/// take time, and stop while RabbitMQ or the inbox is down), so most envelopes arrive after the audit has passed their
/// entries; the kept entries prove them, whenever they arrive, by a join rather than by requests to the broker.
/// </summary>
public sealed class LogAuditMemory(NpgsqlDataSource database, IOptions<InboxOptions> inbox, IOptions<WitnessOptions> witness)
{
    private readonly string _schema = inbox.Value.SchemaName;

    /// <summary>After <see cref="InclusionMemory.CreateAsync"/>: a pass records into its tables.</summary>
    public async Task CreateAsync(CancellationToken ct)
    {
        await using var command = database.CreateCommand($"""
            create schema if not exists {_schema};
            create table if not exists {_schema}.log_audit (
                id smallint primary key default 1 check (id = 1), size bigint not null, frontier bytea[] not null,
                audited_at timestamptz not null default clock_timestamp());
            create table if not exists {_schema}.audited_entries (
                event_id text primary key, ledger_index bigint not null unique, problem text);
            create table if not exists {_schema}.log_problems (
                n bigserial primary key, at timestamptz not null default now(), ledger_index bigint not null, reason text not null,
                seen_at timestamptz not null default now(), unique (ledger_index, reason));
            -- An inbox whose audit ran before problems could be acknowledged gets when each was last seen.
            alter table {_schema}.log_problems add column if not exists seen_at timestamptz not null default now();
            """);
        await command.ExecuteNonQueryAsync(ct);
    }

    public async Task<AuditPosition> PositionAsync(CancellationToken ct)
    {
        await using var command = database.CreateCommand($"select size, frontier from {_schema}.log_audit");
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? new AuditPosition(reader.GetInt64(0), reader.GetFieldValue<byte[][]>(1)) : AuditPosition.Start;
    }

    /// <summary>
    /// Records a pass in one transaction, so a crash never leaves the position past entries it did not keep: every problem
    /// it found, and, when it rebuilt the cosigned history, its entries and its end as the new position.
    /// </summary>
    public async Task RecordAsync(AuditPass pass, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var problems = pass.Entries.Where(e => e.Problem is not null).Select(e => (e.Index, Reason: e.Problem!)).ToList();
        if (pass.Inconsistency is { } inconsistency)
        {
            problems.Add((pass.From.Size, inconsistency));
        }
        await ExecuteAsync(connection, $"""
            insert into {_schema}.log_problems (ledger_index, reason) select * from unnest($1::bigint[], $2::text[])
            on conflict (ledger_index, reason) do update set seen_at = now()
            """, ct, problems.Select(p => p.Index).ToArray(), problems.Select(p => p.Reason).ToArray());
        if (pass.Inconsistency is null)
        {
            var named = pass.Entries.Where(e => e.EventId is not null).ToList();
            await ExecuteAsync(connection, $"""
                insert into {_schema}.audited_entries (event_id, ledger_index, problem) select * from unnest($1::text[], $2::bigint[], $3::text[])
                on conflict do nothing
                """, ct, named.Select(e => e.EventId!.Value.ToString()).ToArray(), named.Select(e => e.Index).ToArray(), named.Select(e => e.Problem).ToArray());
            await ExecuteAsync(connection, $"delete from {_schema}.audited_entries where ledger_index < $1", ct, pass.To.Size - witness.Value.AuditedEntriesKept);
            await ExecuteAsync(connection, $"""
                insert into {_schema}.log_audit (id, size, frontier) values (1, $1, $2)
                on conflict (id) do update set size = excluded.size, frontier = excluded.frontier, audited_at = clock_timestamp()
                """, ct, pass.To.Size, pass.To.Frontier.ToArray());
        }
        await transaction.CommitAsync(ct);
    }

    /// <summary>
    /// Settles the stored envelopes after feed sequence <paramref name="after"/> whose events are among the kept audited
    /// entries: proven in the checkpoint of <paramref name="cosignedSize"/> (which the audit rebuilt, or proved the audited
    /// tree consistent with), or failed when their entry's row did.
    /// </summary>
    /// <returns>How many envelopes were proven.</returns>
    public async Task<int> ProveAuditedAsync(long after, long cosignedSize, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var open = InclusionMemory.Unsettled(_schema);
        await ExecuteAsync(connection, $"""
            insert into {_schema}.inclusion_problems (id, reason)
            select e.id, a.problem from {_schema}.envelopes e join {_schema}.audited_entries a on a.event_id = e.id
            where e.seq > $1 and a.problem is not null and {open}
            on conflict (id) do nothing
            """, ct, after);
        var proven = await ExecuteAsync(connection, $"""
            insert into {_schema}.envelopes_in_log (id, ledger_index, tree_size)
            select e.id, a.ledger_index, $2 from {_schema}.envelopes e join {_schema}.audited_entries a on a.event_id = e.id
            where e.seq > $1 and a.problem is null and {open}
            on conflict (id) do nothing
            """, ct, after, cosignedSize);
        await transaction.CommitAsync(ct);
        return proven;
    }

    /// <summary>
    /// The first stored envelope after feed sequence <paramref name="after"/>, neither proven nor failed, whose event is
    /// among the kept audited entries (<see cref="long.MaxValue"/> when none is): the next <see cref="ProveAuditedAsync"/>
    /// proves it, so it is not proven one by one.
    /// </summary>
    public async Task<long> FirstKeptAsync(long after, CancellationToken ct)
    {
        await using var command = database.CreateCommand($"""
            select min(e.seq) from {_schema}.envelopes e join {_schema}.audited_entries a on a.event_id = e.id
            where e.seq > $1 and {InclusionMemory.Unsettled(_schema)}
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = after });
        return await command.ExecuteScalarAsync(ct) is long seq ? seq : long.MaxValue;
    }

    public async Task<LogAuditStatus> StatusAsync(CancellationToken ct)
    {
        await using var command = database.CreateCommand($"""
            select (select size from {_schema}.log_audit), (select count(*) from {_schema}.log_problems),
                   (select 'entry ' || ledger_index || ': ' || reason from {_schema}.log_problems order by n desc limit 1)
            """);
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return new LogAuditStatus(reader.IsDBNull(0) ? 0 : reader.GetInt64(0), reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetString(2));
    }

    private static async Task<int> ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct, params object[] values)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values)
        {
            command.Parameters.Add(value switch
            {
                byte[][] arrays => new NpgsqlParameter { Value = arrays, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea },
                string?[] texts => new NpgsqlParameter { Value = texts, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text },
                _ => new NpgsqlParameter { Value = value },
            });
        }
        return await command.ExecuteNonQueryAsync(ct);
    }
}

/// <summary>The size through which the witness has audited the log, and what it found wrong in it.</summary>
public sealed record LogAuditStatus(long AuditedSize, long LogProblems, string? LastLogProblem);
