namespace BalticAI.Sovereignty.Rego.Tests.Typing;

/// <summary>What a checking compile finds in modules named p0.rego, p1.rego, ... in the order given; empty when it compiles.</summary>
internal static class CheckedCompile
{
    public static IReadOnlyList<RegoError> Errors(RegoInputSchema? input, RegoSchemaSet? schemas, params string[] sources)
    {
        try
        {
            RegoCompiler.Compile(sources.Select((s, i) => new RegoModule($"p{i}.rego", s)), inputSchema: input, schemas: schemas);
            return [];
        }
        catch (RegoException e)
        {
            return e.Errors;
        }
    }
}
