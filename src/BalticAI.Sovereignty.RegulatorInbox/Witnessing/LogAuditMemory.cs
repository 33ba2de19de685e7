using BalticAI.Sovereignty.Transparency.Witnessing;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace BalticAI.Sovereignty.RegulatorInbox.Witnessing;

/// <summary>
/// How far the witness has audited the log (<see cref="LogAudit"/>), and what it found there: entries whose rows no
/// longer hash to what the tree recorded, and passes whose entries did not rebuild the cosigned history. A pass is
/// recorded in one transaction with what it proved of the inbox's envelopes, so a crash never leaves the position past
/// envelopes it did not record.
/// </summary>
public sealed class LogAuditMemory(NpgsqlDataSource database, IOptions<InboxOptions> inbox)
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
            create table if not exists {_schema}.log_problems (
                n bigserial primary key, at timestamptz not null default now(), ledger_index bigint not null, reason text not null,
                unique (ledger_index, reason));
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
    /// Records a pass against the checkpoint of <paramref name="cosignedSize"/>: every problem it found, the inbox's
    /// envelopes among its entries as proven (or failed, when their row failed), and its end as the new position. A pass
    /// that did not rebuild the cosigned history records its problems only.
    /// </summary>
    /// <returns>How many of the inbox's envelopes the pass proved.</returns>
    public async Task<int> RecordAsync(AuditPass pass, long cosignedSize, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var failed = pass.Entries.Where(e => e.Problem is not null).ToList();
        var problems = failed.Select(e => (e.Index, e.Problem!)).ToList();
        if (pass.Inconsistency is { } inconsistency)
        {
            problems.Add((pass.From.Size, inconsistency));
        }
        await ExecuteAsync(connection, $"""
            insert into {_schema}.log_problems (ledger_index, reason) select * from unnest($1::bigint[], $2::text[])
            on conflict (ledger_index, reason) do nothing
            """, ct, problems.Select(p => p.Item1).ToArray(), problems.Select(p => p.Item2).ToArray());
        var failedEnvelopes = failed.Where(e => e.EventId is not null).ToList();
        await ExecuteAsync(connection, $"""
            insert into {_schema}.inclusion_problems (id, reason)
            select e.id, a.reason from unnest($1::text[], $2::text[]) a(id, reason) join {_schema}.envelopes e on e.id = a.id
            on conflict (id) do nothing
            """, ct, failedEnvelopes.Select(e => e.EventId!.Value.ToString()).ToArray(), failedEnvelopes.Select(e => e.Problem!).ToArray());
        var proven = 0;
        if (pass.Inconsistency is null)
        {
            var sound = pass.Entries.Where(e => e.Problem is null && e.EventId is not null).ToList();
            proven = await ExecuteAsync(connection, $"""
                insert into {_schema}.envelopes_in_log (id, ledger_index, tree_size)
                select e.id, a.ledger_index, $3 from unnest($1::text[], $2::bigint[]) a(id, ledger_index) join {_schema}.envelopes e on e.id = a.id
                where not exists (select 1 from {_schema}.inclusion_problems p where p.id = e.id)
                on conflict (id) do nothing
                """, ct, sound.Select(e => e.EventId!.Value.ToString()).ToArray(), sound.Select(e => e.Index).ToArray(), cosignedSize);
            await ExecuteAsync(connection, $"""
                insert into {_schema}.log_audit (id, size, frontier) values (1, $1, $2)
                on conflict (id) do update set size = excluded.size, frontier = excluded.frontier, audited_at = clock_timestamp()
                """, ct, pass.To.Size, pass.To.Frontier.ToArray());
        }
        await transaction.CommitAsync(ct);
        return proven;
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
            command.Parameters.Add(value is byte[][] arrays
                ? new NpgsqlParameter { Value = arrays, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea }
                : new NpgsqlParameter { Value = value });
        }
        return await command.ExecuteNonQueryAsync(ct);
    }
}

/// <summary>The size through which the witness has audited the log, and what it found wrong in it.</summary>
public sealed record LogAuditStatus(long AuditedSize, long LogProblems, string? LastLogProblem);
