using BalticAI.Sovereignty.Api.Infrastructure.Validation;
using BalticAI.Sovereignty.Rego;

namespace BalticAI.Sovereignty.Api.Policies.Bundles;

/// <summary>
/// The schema of every input the broker gives a policy (schemas/policy-input.schema.json, shipped beside the
/// binaries). Activation compiles a bundle against it, so a rule reading a key the broker never sends, which would
/// never hold, is refused before it decides anything. A bundle's METADATA may name it as `schema.input`, as bundles
/// checked with `opa check --schema` do (their input.json).
/// </summary>
public static class PolicyInputSchema
{
    private static readonly Lazy<RegoInputSchema> Shipped = new(() => RegoInputSchema.Parse(File.ReadAllText(FilePath)));

    public static string FilePath => Path.Combine(JsonSchemaCatalog.DefaultDirectory, "policy-input.schema.json");

    private static readonly Lazy<RegoSchemaSet> Set = new(() => RegoSchemaSet.Empty.With(["input"], Shipped.Value));

    public static RegoInputSchema Current => Shipped.Value;

    /// <summary>The schemas a bundle's METADATA can name: `schema.input`, this schema.</summary>
    public static RegoSchemaSet Schemas => Set.Value;
}
