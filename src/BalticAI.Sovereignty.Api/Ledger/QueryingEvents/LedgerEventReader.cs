using System.Text;
using BalticAI.Sovereignty.Api.Ledger.Tree;
using Npgsql;
using NpgsqlTypes;

namespace BalticAI.Sovereignty.Api.Ledger.QueryingEvents;

/// <summary>One index row of a page: where the event sits in Marten's sequence and in the ledger tree.</summary>
public sealed record IndexedEvent(long Sequence, long? Index, Guid EventId, Guid Stream, string Type, DateTimeOffset Time, string[] Countries);

/// <summary>
/// Pages of the event index in sequence order. Each page is driven by one ordered btree range that
/// already holds the most selective filter (a subject, else a country, else a type) with seq_id last, so
/// PostgreSQL reads rows in page order and stops after limit + 1 matches; several types are one such
/// range each, merged. The planner is not left to guess: with correlated data (no decisions in the first
/// part of the ledger) its estimates would favour walking the whole sequence.
/// </summary>
public sealed class LedgerEventReader(LedgerStore store)
{
    /// <summary>Up to <c>filter.Limit + 1</c> rows (the extra one says whether there is a next page).</summary>
    public async Task<List<IndexedEvent>> ReadAsync(LedgerEventFilter filter, string? requiredCountry, CancellationToken ct)
    {
        var parameters = new List<NpgsqlParameter>();
        string P(object value, NpgsqlDbType? type = null)
        {
            var parameter = new NpgsqlParameter { Value = value };
            if (type is { } t)
            {
                parameter.NpgsqlDbType = t;
            }
            parameters.Add(parameter);
            return "$" + parameters.Count;
        }
        var index = store.Table(LedgerEventIndexSchema.Table);
        var countries = new[] { filter.Country, requiredCountry }.OfType<string>().Distinct().ToList();
        var bySubject = filter.Dataset is not null || filter.Job is not null || filter.Model is not null;
        var driveByCountry = !bySubject && countries.Count > 0;

        // d is the driving range; i the index row (the same row when the index itself drives).
        var d = driveByCountry ? "d" : "i";
        var conditions = new StringBuilder();
        conditions.Append($" and {d}.seq_id > ").Append(P(filter.After));
        if (filter.Dataset is { } dataset)
        {
            conditions.Append(" and i.dataset = ").Append(P(dataset));
        }
        if (filter.Job is { } job)
        {
            conditions.Append(" and i.job = ").Append(P(job));
        }
        if (filter.Model is { } model)
        {
            conditions.Append(" and i.model = ").Append(P(model));
        }
        var driverCountry = driveByCountry ? P(countries[0]) : null;
        var checkedCountries = driveByCountry ? countries.Skip(1).ToArray() : countries.ToArray();
        if (checkedCountries.Length > 0)
        {
            conditions.Append(" and i.countries @> ").Append(P(checkedCountries, NpgsqlDbType.Array | NpgsqlDbType.Text));
        }
        if (filter.From is { } from)
        {
            conditions.Append(" and i.time >= ").Append(P(from.UtcDateTime, NpgsqlDbType.TimestampTz));
        }
        if (filter.To is { } to)
        {
            conditions.Append(" and i.time < ").Append(P(to.UtcDateTime, NpgsqlDbType.TimestampTz));
        }
        if (bySubject && filter.Types.Count > 0)
        {
            // A subject's events are few: one range over the subject, types checked on the way.
            conditions.Append(" and i.type = any(").Append(P(filter.Types.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text)).Append(')');
        }
        var limit = P(filter.Limit + 1);
        var driver = driveByCountry
            ? $"{store.Table(LedgerEventIndexSchema.Countries)} d join {index} i on i.seq_id = d.seq_id where d.country = {driverCountry}"
            : $"{index} i where true";
        var ranges = (bySubject || filter.Types.Count == 0 ? [null] : filter.Types.Select(t => P(t)).ToList<string?>())
            .Select(type => $"(select {d}.seq_id from {driver}{(type is null ? "" : $" and {d}.type = " + type)}{conditions} order by {d}.seq_id limit {limit})");
        var sql = $"""
            select i.seq_id, l.idx, i.event_id, i.stream, i.type, i.time, i.countries
            from {index} i
            left join {store.Table(LedgerSchema.Leaves)} l on l.seq_id = i.seq_id
            where i.seq_id in (select p.seq_id from ({string.Join(" union all ", ranges)}) p order by p.seq_id limit {limit})
            order by i.seq_id
            """;

        await using var command = store.DataSource.CreateCommand(sql);
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
