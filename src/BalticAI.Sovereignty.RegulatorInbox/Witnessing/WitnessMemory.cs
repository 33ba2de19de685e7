using BalticAI.Sovereignty.Transparency.Checkpoints;
using BalticAI.Sovereignty.Transparency.Witnessing;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BalticAI.Sovereignty.RegulatorInbox.Witnessing;

/// <summary>
/// Every checkpoint this witness cosigned, in the inbox's schema: the newest is what the next one must
/// extend, and the whole list is the authority's own evidence of the history it was shown.
/// </summary>
public sealed class WitnessMemory(NpgsqlDataSource database, IOptions<InboxOptions> inbox, IOptions<WitnessOptions> witness) : IWitnessMemory
{
    private readonly string _schema = inbox.Value.SchemaName;

    public async Task CreateAsync(CancellationToken ct)
    {
        await using var command = database.CreateCommand($"""
            create schema if not exists {_schema};
            create table if not exists {_schema}.cosigned_checkpoints (
                size bigint primary key, root bytea not null, note text not null,
                cosigned_at timestamptz not null default clock_timestamp());
            create table if not exists {_schema}.witness_refusals (
                n bigserial primary key, at timestamptz not null default now(), size bigint not null, reason text not null);
            create table if not exists {_schema}.witness_rounds (
                id smallint primary key default 1 check (id = 1), completed_at timestamptz not null);
            """);
        await command.ExecuteNonQueryAsync(ct);
    }

    public async Task<Checkpoint?> LastCosignedAsync(CancellationToken ct)
    {
        await using var command = database.CreateCommand($"select size, root from {_schema}.cosigned_checkpoints order by size desc limit 1");
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? new Checkpoint(witness.Value.Origin, reader.GetInt64(0), (byte[])reader[1]) : null;
    }

    public async Task RememberAsync(Checkpoint cosigned, string note, CancellationToken ct)
    {
        await using var command = database.CreateCommand($"insert into {_schema}.cosigned_checkpoints (size, root, note) values ($1, $2, $3) on conflict (size) do nothing");
        command.Parameters.Add(new NpgsqlParameter { Value = cosigned.Size });
        command.Parameters.Add(new NpgsqlParameter { Value = cosigned.RootHash });
        command.Parameters.Add(new NpgsqlParameter { Value = note });
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// When the last round completed against the broker (a checkpoint cosigned or nothing new, then the log audited and the
    /// envelopes proven, without an error), kept across restarts so
    /// that an inbox restarted often still reports a witness that has not reached its broker for long.
    /// </summary>
    public async Task RecordRoundAsync(DateTimeOffset completedAt, CancellationToken ct)
    {
        await using var command = database.CreateCommand(
            $"insert into {_schema}.witness_rounds (id, completed_at) values (1, $1) on conflict (id) do update set completed_at = excluded.completed_at");
        command.Parameters.Add(new NpgsqlParameter { Value = completedAt });
        await command.ExecuteNonQueryAsync(ct);
    }

    public async Task RecordRefusalAsync(long size, string reason, CancellationToken ct)
    {
        await using var command = database.CreateCommand($"insert into {_schema}.witness_refusals (size, reason) values ($1, $2)");
        command.Parameters.Add(new NpgsqlParameter { Value = size });
        command.Parameters.Add(new NpgsqlParameter { Value = reason });
        await command.ExecuteNonQueryAsync(ct);
    }

    public async Task<WitnessStatus> StatusAsync(CancellationToken ct)
    {
        await using var command = database.CreateCommand($"""
            select (select max(size) from {_schema}.cosigned_checkpoints), (select count(*) from {_schema}.cosigned_checkpoints),
                   (select count(*) from {_schema}.witness_refusals),
                   (select reason from {_schema}.witness_refusals order by n desc limit 1),
                   (select completed_at from {_schema}.witness_rounds)
            """);
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return new WitnessStatus(
            reader.IsDBNull(0) ? null : reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.IsDBNull(3) ? null : reader.GetString(3),
            reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4));
    }
}

public sealed record WitnessStatus(long? LastCosignedSize, long Cosigned, long Refusals, string? LastRefusal, DateTimeOffset? LastRound);

/// <summary>
/// What `GET /inbox/witness` answers: the checkpoints cosigned and refused, the envelopes proven in that history, and
/// how far the log has been audited with what was found wrong in it.
/// </summary>
public sealed record WitnessView(
    long? LastCosignedSize, long Cosigned, long Refusals, string? LastRefusal, DateTimeOffset? LastRound,
    long ProvenInLog, long NotYetProven, long InclusionProblems, string? LastInclusionProblem,
    long AuditedSize, long LogProblems, string? LastLogProblem)
{
    public static WitnessView Of(WitnessStatus witness, InclusionStatus inclusion, LogAuditStatus audit) => new(
        witness.LastCosignedSize, witness.Cosigned, witness.Refusals, witness.LastRefusal, witness.LastRound,
        inclusion.ProvenInLog, inclusion.NotYetProven, inclusion.InclusionProblems, inclusion.LastInclusionProblem,
        audit.AuditedSize, audit.LogProblems, audit.LastLogProblem);
}
