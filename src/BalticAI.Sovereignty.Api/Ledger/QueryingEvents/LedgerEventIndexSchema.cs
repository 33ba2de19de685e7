using Weasel.Core;
using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace BalticAI.Sovereignty.Api.Ledger.QueryingEvents;

/// <summary>
/// A narrow row per event with the facts queries filter on, so a filtered page is an index range scan
/// of this table and a primary-key lookup of the page's events, never a scan of mt_events. Every filter
/// index ends in seq_id, so "filter, order by seq_id, after the cursor, limit n" stops after n rows.
/// </summary>
public static class LedgerEventIndexSchema
{
    public const string Table = "ledger_event_index";

    /// <summary>
    /// One row per (event, country): country filters, and every regulator's query, are then one ordered
    /// btree range instead of a GIN match that cannot give rows in sequence order.
    /// </summary>
    public const string Countries = "ledger_event_countries";

    public static IEnumerable<ISchemaObject> Tables(string schema)
    {
        yield return Index(schema);
        var countries = new Table(new PostgresqlObjectName(schema, Countries, SchemaUtils.IdentifierUsage.General));
        countries.AddColumn<string>("country").AsPrimaryKey();
        countries.AddColumn<long>("seq_id").AsPrimaryKey();
        countries.AddColumn<string>("type").NotNull();
        countries.Indexes.Add(new IndexDefinition($"{Countries}_type") { Columns = ["country", "type", "seq_id"] });
        yield return countries;
    }

    private static Table Index(string schema)
    {
        var table = new Table(new PostgresqlObjectName(schema, Table, SchemaUtils.IdentifierUsage.General));
        table.AddColumn<long>("seq_id").AsPrimaryKey();
        table.AddColumn<Guid>("event_id").NotNull();
        table.AddColumn<Guid>("stream").NotNull();
        table.AddColumn<string>("type").NotNull();
        table.AddColumn("time", "timestamptz").NotNull();
        table.AddColumn("countries", "text[]").NotNull();
        table.AddColumn<Guid>("dataset");
        table.AddColumn<Guid>("job");
        table.AddColumn<string>("model");
        table.Indexes.Add(new IndexDefinition($"{Table}_type") { Columns = ["type", "seq_id"] });
        table.Indexes.Add(new IndexDefinition($"{Table}_dataset") { Columns = ["dataset", "seq_id"] });
        table.Indexes.Add(new IndexDefinition($"{Table}_job") { Columns = ["job", "seq_id"] });
        table.Indexes.Add(new IndexDefinition($"{Table}_model") { Columns = ["model", "seq_id"] });
        table.Indexes.Add(new IndexDefinition($"{Table}_stream") { Columns = ["stream", "seq_id"] });
        table.Indexes.Add(new IndexDefinition($"{Table}_time") { Columns = ["time", "seq_id"] });
        return table;
    }
}
