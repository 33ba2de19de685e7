using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace BalticAI.Sovereignty.Api.Feeds.Outbox;

/// <summary>
/// Every envelope ever sealed, per feed, with the exact bytes that were signed and sent. Marten builds
/// it with the rest of the schema, so production patches include it.
/// </summary>
public static class FeedLogTable
{
    public const string Name = "feed_envelopes";

    public static Table Build(string schema)
    {
        var table = new Table(new PostgresqlObjectName(schema, Name, SchemaUtils.IdentifierUsage.General));
        table.AddColumn<string>("feed").AsPrimaryKey();
        table.AddColumn<long>("seq").AsPrimaryKey();
        table.AddColumn<Guid>("event_id").NotNull();
        table.AddColumn<long>("ledger_seq").NotNull();
        table.AddColumn("body", "bytea").NotNull();
        table.AddColumn<string>("hash").NotNull();
        table.AddColumn("sealed_at", "timestamptz").NotNull().DefaultValueByExpression("now()");
        // Event id first: sealing looks envelopes up by event id alone.
        table.Indexes.Add(new IndexDefinition($"ux_{Name}_event") { Columns = ["event_id", "feed"], IsUnique = true });
        return table;
    }
}
