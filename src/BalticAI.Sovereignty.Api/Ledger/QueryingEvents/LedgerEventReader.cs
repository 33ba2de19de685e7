using System.Text;
using BalticAI.Sovereignty.Api.Ledger.Tree;
using Npgsql;
using NpgsqlTypes;

namespace BalticAI.Sovereignty.Api.Ledger.QueryingEvents;

/// <summary>One index row of a page: where the event sits in Marten's sequence and in the ledger tree.</summary>
public sealed record IndexedEvent(long Sequence, long? Index, Guid EventId, Guid Stream, string Type, DateTimeOffset Time, string[] Countries);

/// <summary>
/// Pages of the event index in sequence order. Each filter is a condition on an indexed column and the
/// page reads only up to limit + 1 rows after the cursor, so its cost follows the page, not the ledger.
/// </summary>
public sealed class LedgerEventReader(LedgerStore store)
{
    /// <summary>Up to <c>filter.Limit + 1</c> rows (the extra one says whether there is a next page).</summary>
    public async Task<List<IndexedEvent>> ReadAsync(LedgerEventFilter filter, string? requiredCountry, CancellationToken ct)
    {
        var sql = new StringBuilder(
            $"""
            select i.seq_id, l.idx, i.event_id, i.stream, i.type, i.time, i.countries
            from {store.Table(LedgerEventIndexSchema.Table)} i
            left join {store.Table(LedgerSchema.Leaves)} l on l.seq_id = i.seq_id
            where i.seq_id > $1
            """);
        var parameters = new List<NpgsqlParameter> { new() { Value = filter.After } };
        void Where(string condition, object value, NpgsqlDbType? type = null)
        {
            var parameter = new NpgsqlParameter { Value = value };
            if (type is { } t)
            {
                parameter.NpgsqlDbType = t;
            }
            parameters.Add(parameter);
            sql.Append(" and ").Append(condition.Replace("$?", "$" + parameters.Count, StringComparison.Ordinal));
        }
        var countries = new[] { filter.Country, requiredCountry }.OfType<string>().Distinct().ToArray();
        if (countries.Length > 0)
        {
            Where("i.countries @> $?", countries, NpgsqlDbType.Array | NpgsqlDbType.Text);
        }
        if (filter.Types.Count == 1)
        {
            Where("i.type = $?", filter.Types[0]);
        }
        else if (filter.Types.Count > 1)
        {
            Where("i.type = any($?)", filter.Types.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text);
        }
        if (filter.Dataset is { } dataset)
        {
            Where("i.dataset = $?", dataset);
        }
        if (filter.Job is { } job)
        {
            Where("i.job = $?", job);
        }
        if (filter.Model is { } model)
        {
            Where("i.model = $?", model);
        }
        if (filter.From is { } from)
        {
            Where("i.time >= $?", from.UtcDateTime, NpgsqlDbType.TimestampTz);
        }
        if (filter.To is { } to)
        {
            Where("i.time < $?", to.UtcDateTime, NpgsqlDbType.TimestampTz);
        }
        parameters.Add(new NpgsqlParameter { Value = filter.Limit + 1 });
        sql.Append(" order by i.seq_id limit $").Append(parameters.Count);

        await using var command = store.DataSource.CreateCommand(sql.ToString());
        command.Parameters.AddRange(parameters.ToArray());
        var rows = new List<IndexedEvent>(filter.Limit + 1);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            rows.Add(new IndexedEvent(reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetInt64(1), reader.GetGuid(2), reader.GetGuid(3),
                reader.GetString(4), reader.GetFieldValue<DateTimeOffset>(5), reader.GetFieldValue<string[]>(6)));
        }
        return rows;
    }
}
