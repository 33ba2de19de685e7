using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BalticAI.Sovereignty.RegulatorInbox.Reviewing;

/// <summary>
/// Every integrity problem the inbox recorded (verification failures, refused checkpoints, envelopes not proven in the
/// log, problems the log audit found), read as one list, and the acknowledgements an operator records after looking
/// into them. The problems themselves are evidence and are never changed or deleted: an acknowledgement is a row of its
/// own (when, by whom, why), and a problem is open while it has none made at or after it was last seen, so a problem the
/// audit finds again after it was acknowledged is open again.
/// </summary>
public sealed class IntegrityProblems(NpgsqlDataSource database, IOptions<InboxOptions> options)
{
    private readonly string _schema = options.Value.SchemaName;

    /// <summary>The longest acknowledgement reason kept: a reference to the investigation, not its report.</summary>
    public const int MaxReasonLength = 2000;

    /// <summary>Each kind's table, its one-line summary (as health names the latest), its details, and when it was last seen.</summary>
    private static readonly (ProblemKind Kind, string Table, string Summary, string Detail, string Seen)[] Sources =
    [
        (ProblemKind.Verification, "failures", "reason",
            "json_build_object('failure', kind, 'eventId', event_id, 'feedSeq', feedseq, 'bodyBytes', body_bytes, 'bodySha256', body_sha256, 'bodyKeptBytes', length(body))", "at"),
        (ProblemKind.Refusal, "witness_refusals", "reason", "json_build_object('checkpointSize', size)", "at"),
        (ProblemKind.Inclusion, "inclusion_problems", "id || ': ' || reason", "json_build_object('envelope', id)", "at"),
        (ProblemKind.Log, "log_problems", "'entry ' || ledger_index || ': ' || reason", "json_build_object('ledgerIndex', ledger_index)", "seen_at"),
    ];

    /// <summary>
    /// With the failures table, which every inbox has: acknowledgements name problems of any kind. Beside the name the
    /// operator gives, each keeps the database role that recorded it (what authorised it) and the account that ran the
    /// command, since several people may share one role.
    /// </summary>
    public static string CreateSql(string schema) => $"""
        create table if not exists {schema}.acknowledgements (
            n bigserial primary key, kind text not null, problem bigint not null,
            acknowledged_at timestamptz not null default clock_timestamp(), acknowledged_by text not null, reason text not null,
            database_user text not null default session_user, account text not null);
        create index if not exists acknowledgements_problem on {schema}.acknowledgements (kind, problem, acknowledged_at);
        """;

    /// <summary>Open and acknowledged problems of each kind, with the latest open one's summary.</summary>
    public async Task<IReadOnlyDictionary<ProblemKind, ProblemCount>> CountAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        var problems = await UnionAsync(connection, ct);
        var counts = Sources.ToDictionary(s => s.Kind, _ => new ProblemCount(0, 0, null));
        if (problems is null)
        {
            return counts;
        }
        await using var command = new NpgsqlCommand($"""
            select p.kind, count(*) filter (where {Open}), count(*) filter (where not {Open}),
                   (array_agg(p.summary order by p.at desc, p.n desc) filter (where {Open}))[1]
            from ({problems}) p group by p.kind
            """, connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            counts[KindOf(reader.GetString(0))] =
                new ProblemCount(reader.GetInt64(1), reader.GetInt64(2), reader.IsDBNull(3) ? null : reader.GetString(3));
        }
        return counts;
    }

    /// <summary>Problems newest first, after <paramref name="cursor"/> (the last one a previous page ended with).</summary>
    public async Task<ProblemPage> ListAsync(ProblemState state, ProblemCursor? cursor, int limit, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        var problems = await UnionAsync(connection, ct);
        if (problems is null)
        {
            return new ProblemPage([], null);
        }
        var filter = state switch
        {
            ProblemState.Open => Open,
            ProblemState.Acknowledged => $"not {Open}",
            _ => "true",
        };
        await using var command = new NpgsqlCommand($"""
            select p.kind, p.n, p.at, p.reason, p.summary, p.detail, {Open},
                   (select coalesce(json_agg(json_build_object('at', a.acknowledged_at, 'by', a.acknowledged_by, 'reason', a.reason, 'databaseUser', a.database_user, 'account', a.account) order by a.n), '[]')
                    from {_schema}.acknowledgements a where a.kind = p.kind and a.problem = p.n)::text
            from ({problems}) p
            where {filter} and ($1::timestamptz is null or (p.at, p.kind, p.n) < ($1, $2, $3))
            order by p.at desc, p.kind desc, p.n desc limit $4
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)cursor?.At ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = cursor is null ? "" : Name(cursor.Id.Kind) });
        command.Parameters.Add(new NpgsqlParameter { Value = cursor?.Id.N ?? 0L });
        command.Parameters.Add(new NpgsqlParameter { Value = limit + 1 });
        var items = new List<ProblemView>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            items.Add(new ProblemView(
                IdOf(reader),
                reader.GetFieldValue<DateTimeOffset>(2), reader.GetString(3), reader.GetString(4), JsonNode.Parse(reader.GetString(5))!.AsObject(), reader.GetBoolean(6),
                JsonNode.Parse(reader.GetString(7))!.AsArray().Select(a => new AcknowledgementView(
                    a!["at"]!.GetValue<DateTimeOffset>(), a["by"]!.GetValue<string>(), a["reason"]!.GetValue<string>(),
                    a["databaseUser"]!.GetValue<string>(), a["account"]!.GetValue<string>())).ToList()));
        }
        var next = items.Count > limit ? new ProblemCursor(items[limit - 1].At, items[limit - 1].Id) : null;
        return new ProblemPage(items.Take(limit).ToList(), next);
    }

    /// <summary>
    /// Acknowledges the named problems (or every open one) in one transaction: a name the inbox does not hold refuses
    /// the whole call and records nothing; a problem not open (acknowledged since it was last seen) is left as it is.
    /// </summary>
    /// <param name="account">The account that ran the command (user@host).</param>
    public async Task<AcknowledgementOutcome> AcknowledgeAsync(
        IReadOnlyCollection<ProblemId> ids, bool everyOpen, string by, string reason, string account, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var problems = await UnionAsync(connection, ct);
        if (problems is null)
        {
            return ids.Count == 0 ? new AcknowledgementOutcome([], [], []) : new AcknowledgementOutcome([], [], ids.ToList());
        }
        var kinds = ids.Select(i => Name(i.Kind)).ToArray();
        var numbers = ids.Select(i => i.N).ToArray();
        var found = new List<(ProblemId Id, bool Open)>();
        await using (var select = new NpgsqlCommand($"""
            select p.kind, p.n, {Open} from ({problems}) p
            where $1 or (p.kind, p.n) in (select * from unnest($2::text[], $3::bigint[]))
            order by p.at, p.kind, p.n
            """, connection, transaction))
        {
            select.Parameters.Add(new NpgsqlParameter { Value = everyOpen });
            select.Parameters.Add(new NpgsqlParameter { Value = kinds });
            select.Parameters.Add(new NpgsqlParameter { Value = numbers });
            await using var reader = await select.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                found.Add((IdOf(reader), reader.GetBoolean(2)));
            }
        }
        var unknown = ids.Except(found.Select(f => f.Id)).ToList();
        if (unknown.Count > 0)
        {
            return new AcknowledgementOutcome([], [], unknown);
        }
        var open = found.Where(f => f.Open).Select(f => f.Id).ToList();
        var settled = found.Where(f => !f.Open && ids.Contains(f.Id)).Select(f => f.Id).ToList();
        await using (var insert = new NpgsqlCommand($"""
            insert into {_schema}.acknowledgements (kind, problem, acknowledged_by, reason, account)
            select k, p, $3, $4, $5 from unnest($1::text[], $2::bigint[]) u(k, p)
            """, connection, transaction))
        {
            insert.Parameters.Add(new NpgsqlParameter { Value = open.Select(i => Name(i.Kind)).ToArray() });
            insert.Parameters.Add(new NpgsqlParameter { Value = open.Select(i => i.N).ToArray() });
            insert.Parameters.Add(new NpgsqlParameter { Value = by });
            insert.Parameters.Add(new NpgsqlParameter { Value = reason });
            insert.Parameters.Add(new NpgsqlParameter { Value = account });
            await insert.ExecuteNonQueryAsync(ct);
        }
        await transaction.CommitAsync(ct);
        return new AcknowledgementOutcome(open, settled, []);
    }

    /// <summary>Whether this inbox's schema holds its problem records: false for a misnamed inbox, or one never started.</summary>
    public async Task<bool> ExistsAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        return await UnionAsync(connection, ct) is not null;
    }

    public static string Name(ProblemKind kind) => kind.ToString().ToLowerInvariant();

    private static ProblemKind KindOf(string name) => Enum.Parse<ProblemKind>(name, ignoreCase: true);

    /// <summary>The problem named by a row's first two columns, its kind and number.</summary>
    private static ProblemId IdOf(NpgsqlDataReader row) => new(KindOf(row.GetString(0)), row.GetInt64(1));

    /// <summary>Open: no acknowledgement made at or after the problem was last seen.</summary>
    private string Open =>
        $"not exists (select 1 from {_schema}.acknowledgements a where a.kind = p.kind and a.problem = p.n and a.acknowledged_at >= p.seen)";

    /// <summary>
    /// One query over the problem tables this inbox has (an inbox that never witnessed has no witness tables), or null
    /// when it has none yet (starting).
    /// </summary>
    private async Task<string?> UnionAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            "select c.relname from pg_class c join pg_namespace ns on ns.oid = c.relnamespace where ns.nspname = $1 and c.relkind in ('r', 'p')", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = _schema });
        var tables = new HashSet<string>();
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                tables.Add(reader.GetString(0));
            }
        }
        if (!tables.Contains("acknowledgements"))
        {
            return null;
        }
        var parts = Sources.Where(s => tables.Contains(s.Table)).Select(s =>
            $"select '{Name(s.Kind)}'::text as kind, n, at, reason, {s.Summary} as summary, {s.Detail}::text as detail, {s.Seen} as seen from {_schema}.{s.Table}").ToList();
        return parts.Count == 0 ? null : string.Join(" union all ", parts);
    }
}
