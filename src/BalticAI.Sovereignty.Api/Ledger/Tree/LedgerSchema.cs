using Weasel.Core;
using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace BalticAI.Sovereignty.Api.Ledger.Tree;

/// <summary>
/// The ledger's tables beside Marten's, created and patched by Marten with the rest of the schema.
/// ledger_nodes keeps the hash of every complete subtree (level 0 = leaves), so any proof or root is a
/// fold of O(log n) rows; ledger_leaves maps entry numbers to Marten sequences and event ids, with the
/// leaf format each entry was hashed in (a ledger begun before format 2 keeps format 1 for those entries,
/// which the column's default gives them when the schema is patched).
/// </summary>
public static class LedgerSchema
{
    public const string Leaves = "ledger_leaves";
    public const string Nodes = "ledger_nodes";
    public const string Checkpoints = "ledger_checkpoints";
    public const string Cosignatures = "ledger_cosignatures";

    public static IEnumerable<ISchemaObject> Tables(string schema)
    {
        var leaves = new Table(new PostgresqlObjectName(schema, Leaves, SchemaUtils.IdentifierUsage.General));
        leaves.AddColumn<long>("idx").AsPrimaryKey();
        leaves.AddColumn<long>("seq_id").NotNull();
        leaves.AddColumn<Guid>("event_id").NotNull();
        leaves.AddColumn("format", "smallint").NotNull().DefaultValueByExpression("1");
        leaves.Indexes.Add(new IndexDefinition($"{Leaves}_event_id") { Columns = ["event_id"] });
        leaves.Indexes.Add(new IndexDefinition($"{Leaves}_seq_id") { Columns = ["seq_id"], IsUnique = true });
        yield return leaves;

        var nodes = new Table(new PostgresqlObjectName(schema, Nodes, SchemaUtils.IdentifierUsage.General));
        nodes.AddColumn<int>("level").AsPrimaryKey();
        nodes.AddColumn<long>("idx").AsPrimaryKey();
        nodes.AddColumn("hash", "bytea").NotNull();
        yield return nodes;

        var checkpoints = new Table(new PostgresqlObjectName(schema, Checkpoints, SchemaUtils.IdentifierUsage.General));
        checkpoints.AddColumn<long>("size").AsPrimaryKey();
        checkpoints.AddColumn("root", "bytea").NotNull();
        checkpoints.AddColumn<string>("note").NotNull();
        checkpoints.AddColumn("created_at", "timestamptz").NotNull().DefaultValueByExpression("now()");
        yield return checkpoints;

        var cosignatures = new Table(new PostgresqlObjectName(schema, Cosignatures, SchemaUtils.IdentifierUsage.General));
        cosignatures.AddColumn<long>("size").AsPrimaryKey();
        cosignatures.AddColumn<string>("witness").AsPrimaryKey();
        cosignatures.AddColumn<string>("line").NotNull();
        cosignatures.AddColumn("created_at", "timestamptz").NotNull().DefaultValueByExpression("now()");
        yield return cosignatures;
    }
}
