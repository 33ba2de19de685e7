using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Rego.Compilation;
using BalticAI.Sovereignty.Rego.Syntax;
using BalticAI.Sovereignty.Rego.Values;

namespace BalticAI.Sovereignty.Rego;

/// <summary>One METADATA block: where it stands, the document it annotates (its path below `data`), and its keys as `rego.metadata` gives them.</summary>
public sealed record RegoAnnotation(string File, int Line, IReadOnlyList<string> Path, JsonObject Annotations);

/// <summary>
/// Every METADATA block of a set of modules, as `opa inspect --annotations` lists them: sorted by the path they
/// annotate, then by where they stand. A block OPA would refuse is an error here instead of an entry, so a bundle
/// recorded before blocks were checked can still be listed.
/// </summary>
public sealed record RegoAnnotations(IReadOnlyList<RegoAnnotation> Annotations, IReadOnlyList<RegoError> Errors)
{
    /// <exception cref="RegoException">The modules do not compile.</exception>
    public static RegoAnnotations Read(IEnumerable<RegoModule> modules)
    {
        var compiler = new Compiler([.. modules.Select(m => Parser.ParseModule(m.Source, m.Path))]);
        compiler.Compile();
        return From(compiler);
    }

    internal static RegoAnnotations From(Compiler compiler)
    {
        var errors = compiler.ReadAnnotations();
        var entries = compiler.Modules.SelectMany(module => module.Annotations.Select(a => new RegoAnnotation(
                module.File,
                a.Loc.Line,
                a.Rule?.Path ?? module.Package,
                (JsonObject)JsonInterop.ToNode(a.Metadata)!)))
            .OrderBy(a => string.Join('.', a.Path), StringComparer.Ordinal)
            .ThenBy(a => a.File, StringComparer.Ordinal)
            .ThenBy(a => a.Line)
            .ToList();
        return new RegoAnnotations(entries, errors);
    }
}
