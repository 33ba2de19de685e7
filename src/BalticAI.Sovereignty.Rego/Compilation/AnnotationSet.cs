using BalticAI.Sovereignty.Rego.Syntax;

namespace BalticAI.Sovereignty.Rego.Compilation;

/// <summary>
/// The METADATA blocks of all modules, by what they annotate, as OPA's AnnotationSet holds them: one package, document
/// or subpackages block per path across all modules (a second is a type error), rule blocks per rule.
/// </summary>
internal sealed class AnnotationSet
{
    private readonly Dictionary<Rule, List<Annotation>> byRule = [];
    private readonly Dictionary<string, Annotation> byPackage = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Annotation> byDocument = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Annotation> bySubpackages = new(StringComparer.Ordinal);

    private AnnotationSet()
    {
    }

    /// <exception cref="RegoException">A package, document or subpackages block declared twice.</exception>
    public static AnnotationSet Build(IReadOnlyList<Module> modules)
    {
        var set = new AnnotationSet();
        var errors = new List<RegoError>();
        foreach (var module in modules)
        {
            foreach (var a in module.Annotations)
            {
                var (index, key) = a.Scope switch
                {
                    AnnotationScope.Package => (set.byPackage, Key(module.Package)),
                    AnnotationScope.Document => (set.byDocument, Key(a.Rule!.Path)),
                    AnnotationScope.Subpackages => (set.bySubpackages, Key(module.Package)),
                    _ => (null, string.Empty),
                };
                if (index is null)
                {
                    set.byRule.TryAdd(a.Rule!, []);
                    set.byRule[a.Rule!].Add(a);
                }
                else if (!index.TryAdd(key, a))
                {
                    var other = index[key].Loc;
                    errors.Add(new RegoError(
                        RegoErrorKind.TypeError, $"{a.Scope.ToString().ToLowerInvariant()} annotation redeclared: {other.File}:{other.Line}", a.Loc.File, a.Loc.Line, a.Loc.Column));
                }
            }
        }

        return errors.Count > 0 ? throw new RegoException(errors) : set;
    }

    /// <summary>
    /// The schema declarations that hold in a rule, in the order OPA applies them, each later one over the earlier:
    /// subpackages from the root down, the package, the document, the rule's own: the chain from its far end.
    /// </summary>
    public IEnumerable<(Annotation Block, SchemaAnnotation Schema)> Schemas(Rule rule) =>
        Enumerable.Reverse(Chain(rule)).SelectMany(entry => entry.Block is { } block ? block.Schemas.Select(s => (block, s)) : []);

    /// <summary>
    /// The blocks `rego.metadata.chain()` gives in a rule, each with the path it annotates, from the rule outwards as
    /// OPA orders them: the rule's own blocks (the nearest first; the rule alone, without a block, when it has none), its
    /// document's, its package's, then subpackages blocks from its package up to the root.
    /// </summary>
    public List<(string[] Path, Annotation? Block)> Chain(Rule rule)
    {
        var chain = new List<(string[], Annotation?)>();
        if (byRule.TryGetValue(rule, out var own) && own.Count > 0)
        {
            chain.AddRange(own.OrderByDescending(a => a.Loc.Line).Select(a => (rule.Path, (Annotation?)a)));
        }
        else
        {
            chain.Add((rule.Path, null));
        }

        if (byDocument.TryGetValue(Key(rule.Path), out var document))
        {
            chain.Add((rule.Path, document));
        }

        var package = rule.Module.Package;
        if (byPackage.TryGetValue(Key(package), out var pkg))
        {
            chain.Add((package, pkg));
        }

        for (var i = package.Length; i > 0; i--)
        {
            if (bySubpackages.TryGetValue(Key(package[..i]), out var sub))
            {
                chain.Add((package[..i], sub));
            }
        }

        return chain;
    }

    private static string Key(IEnumerable<string> path) => string.Join('\u001f', path);
}
