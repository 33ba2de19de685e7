using Microsoft.Extensions.Options;
using Npgsql;

namespace BalticAI.Sovereignty.RegulatorInbox.Witnessing;

/// <summary>
/// Which stored envelopes the witness has proven to be in the history it cosigned (with the entry and the tree
/// size of the proof), and those that failed the proof. A failure is evidence and is kept, not checked again.
/// </summary>
public sealed class InclusionMemory(NpgsqlDataSource database, IOptions<InboxOptions> inbox)
{
    private readonly string _schema = inbox.Value.SchemaName;

    /// <summary>After the inbox's own tables: the envelopes it reads are the ones the consumer stored.</summary>
    public async Task CreateAsync(CancellationToken ct)
    {
        await using var command = database.CreateCommand($"""
            create schema if not exists {_schema};
            create table if not exists {_schema}.envelopes_in_log (
                id text primary key, ledger_index bigint not null, tree_size bigint not null,
                proven_at timestamptz not null default clock_timestamp());
            create table if not exists {_schema}.inclusion_problems (
                n bigserial primary key, at timestamptz not null default now(), id text not null unique, reason text not null);
            """);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>SQL that holds for an envelope `e` neither proven nor failed yet.</summary>
    public static string Unsettled(string schema) =>
        $"not exists (select 1 from {schema}.envelopes_in_log l where l.id = e.id) and not exists (select 1 from {schema}.inclusion_problems p where p.id = e.id)";

    /// <summary>
    /// Envelopes after feed sequence <paramref name="after"/>, in feed order, neither proven nor failed yet. The caller
    /// passes the sequence up to which every envelope is settled, so a round reads from there on the primary key
    /// rather than the whole inbox.
    /// </summary>
    public async Task<List<(long Seq, string Id)>> UnprovenAsync(long after, int limit, CancellationToken ct)
    {
        await using var command = database.CreateCommand($"""
            select e.seq, e.id from {_schema}.envelopes e
            where e.seq > $1
              and {Unsettled(_schema)}
            order by e.seq limit $2
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = after });
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        var envelopes = new List<(long, string)>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            envelopes.Add((reader.GetInt64(0), reader.GetString(1)));
        }
        return envelopes;
    }

    /// <summary>
    /// The highest sequence up to <paramref name="to"/> through which the inbox holds every envelope after
    /// <paramref name="from"/>: an envelope redelivered into a gap later must still be proven.
    /// </summary>
    public async Task<long> StoredThroughAsync(long from, long to, CancellationToken ct)
    {
        await using var command = database.CreateCommand($"""
            select coalesce(min(s.seq) - 1, $2) from generate_series($1 + 1, $2) s(seq)
            where not exists (select 1 from {_schema}.envelopes e where e.seq = s.seq)
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = from });
        command.Parameters.Add(new NpgsqlParameter { Value = to });
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    public Task RecordProvenAsync(string id, long index, long treeSize, CancellationToken ct) =>
        ExecuteAsync($"insert into {_schema}.envelopes_in_log (id, ledger_index, tree_size) values ($1, $2, $3) on conflict (id) do nothing", ct, id, index, treeSize);

    public Task RecordProblemAsync(string id, string reason, CancellationToken ct) =>
        ExecuteAsync($"insert into {_schema}.inclusion_problems (id, reason) values ($1, $2) on conflict (id) do nothing", ct, id, reason);

    /// <summary>
    /// Envelopes after feed sequence <paramref name="after"/> (through which every envelope is settled) received before
    /// <paramref name="receivedBefore"/> that are neither proven nor failed, and when the oldest arrived.
    /// </summary>
    public async Task<(long Count, DateTimeOffset? Oldest)> OverdueAsync(DateTimeOffset receivedBefore, long after, CancellationToken ct)
    {
        await using var command = database.CreateCommand($"""
            select count(*), min(e.received_at) from {_schema}.envelopes e
            where e.seq > $2 and e.received_at < $1
              and {Unsettled(_schema)}
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = receivedBefore });
        command.Parameters.Add(new NpgsqlParameter { Value = after });
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return (reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetFieldValue<DateTimeOffset>(1));
    }

    public async Task<InclusionStatus> StatusAsync(CancellationToken ct)
    {
        await using var command = database.CreateCommand($"""
            select (select count(*) from {_schema}.envelopes_in_log), (select count(*) from {_schema}.envelopes),
                   (select count(*) from {_schema}.inclusion_problems),
                   (select id || ': ' || reason from {_schema}.inclusion_problems order by n desc limit 1)
            """);
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        var (proven, stored, problems) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
        return new InclusionStatus(proven, stored - proven - problems, problems, reader.IsDBNull(3) ? null : reader.GetString(3));
    }

    private async Task ExecuteAsync(string sql, CancellationToken ct, params object[] values)
    {
        await using var command = database.CreateCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }
        await command.ExecuteNonQueryAsync(ct);
    }
}

/// <summary>Envelopes proven in the cosigned history, those not proven yet (not yet covered by a cosigned checkpoint), and failures.</summary>
public sealed record InclusionStatus(long ProvenInLog, long NotYetProven, long InclusionProblems, string? LastInclusionProblem);
