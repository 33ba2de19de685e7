using BalticAI.Sovereignty.Rego.Builtins;
using BalticAI.Sovereignty.Rego.Syntax;
using BalticAI.Sovereignty.Rego.Values;

namespace BalticAI.Sovereignty.Rego.Compilation;

/// <summary>A query compiled against a policy: its body, frame size and the named variables to report.</summary>
internal sealed class CompiledQuery
{
    public required Body Body { get; init; }

    public required int SlotCount { get; init; }

    public required (string Name, int Slot)[] ResultVars { get; init; }
}

/// <summary>Builds the rule tree, resolves names to frame slots or data references, and orders bodies for safety.</summary>
internal sealed class Compiler
{
    private readonly Dictionary<string, HashSet<string>> ruleNamesByPackage = new(StringComparer.Ordinal);
    private readonly List<RegoError> errors = [];

    public Compiler(IReadOnlyList<Module> modules)
    {
        Modules = modules;
        Root = new RuleNode([]);
    }

    public IReadOnlyList<Module> Modules { get; }

    public RuleNode Root { get; }

    public void Compile()
    {
        foreach (var m in Modules)
        {
            var names = PackageNames(m.Package);
            foreach (var r in m.Rules)
            {
                r.Module = m;
                SetupRule(r);
                names.Add(((VarTerm)r.HeadRef[0]).Name);
            }
        }

        foreach (var m in Modules)
        {
            var pkg = Root;
            foreach (var seg in m.Package)
            {
                pkg = pkg.GetOrAdd(seg);
            }

            foreach (var r in m.Rules)
            {
                AddToTree(r);
            }
        }

        foreach (var m in Modules)
        {
            foreach (var r in m.Rules)
            {
                try
                {
                    new Resolver(this, m).ResolveRule(r);
                }
                catch (RegoException e)
                {
                    errors.AddRange(e.Errors);
                }
            }
        }

        if (errors.Count > 0)
        {
            throw new RegoException(errors);
        }

        NodeCount = Number(Root, 0);
    }

    private readonly Lock annotationLock = new();
    private IReadOnlyList<RegoError>? annotationErrors;
    private AnnotationSet? annotationSet;

    /// <summary>
    /// Reads every module's METADATA blocks once, as OPA does when it checks a bundle or a rule calls `rego.metadata`;
    /// gives what OPA would refuse in them.
    /// </summary>
    public IReadOnlyList<RegoError> ReadAnnotations()
    {
        // A compiled policy is shared across threads; its blocks may be asked for while it evaluates.
        lock (annotationLock)
        {
            if (annotationErrors is null)
            {
                var found = new List<RegoError>();
                foreach (var module in Modules)
                {
                    (module.Annotations, var moduleErrors) = AnnotationReader.Read(module);
                    found.AddRange(moduleErrors);
                }

                annotationErrors = found;
            }

            return annotationErrors;
        }
    }

    /// <summary>The blocks by what they annotate, once read without errors.</summary>
    /// <exception cref="RegoException">A block OPA would refuse, or a package, document or subpackages block declared twice.</exception>
    public AnnotationSet Annotations()
    {
        if (ReadAnnotations() is { Count: > 0 } refused)
        {
            throw new RegoException(refused);
        }

        return annotationSet ??= AnnotationSet.Build(Modules);
    }

    /// <summary>
    /// What `rego.metadata.chain()` (or `.rule()`) gives in <paramref name="rule"/>: OPA computes it at compile time,
    /// [{path, annotations}] from the rule outwards, and the rule's own nearest block ({} without one).
    /// </summary>
    public Value Metadata(Rule rule, string name)
    {
        var chain = Annotations().Chain(rule);
        if (name == "rego.metadata.rule")
        {
            return chain[0].Block?.Metadata ?? ObjectValue.Empty;
        }

        return new ArrayValue([.. chain.Select(entry =>
        {
            var path = new ArrayValue([.. entry.Path.Select(p => (Value)new StringValue(p))]);
            var item = new Dictionary<Value, Value> { [new StringValue("path")] = path };
            if (entry.Block is { } block)
            {
                item[new StringValue("annotations")] = block.Metadata;
            }

            return (Value)new ObjectValue(item);
        })]);
    }

    /// <summary>Number of rule-tree nodes; each has a cache slot in an evaluation.</summary>
    public int NodeCount { get; private set; }

    private static int Number(RuleNode node, int next)
    {
        node.Id = next++;
        foreach (var child in node.Children.Values)
        {
            next = Number(child, next);
        }

        return next;
    }

    public CompiledQuery CompileQuery(Body body, string[]? package = null)
    {
        var module = new Module { File = "query", Package = package ?? [], PackageLoc = new Location("query", 1, 1), Imports = [], Rules = [] };
        return new Resolver(this, module).ResolveQuery(body);
    }

    private HashSet<string> PackageNames(string[] pkg)
    {
        var key = string.Join('.', pkg);
        if (!ruleNamesByPackage.TryGetValue(key, out var set))
        {
            set = new HashSet<string>(StringComparer.Ordinal);
            ruleNamesByPackage[key] = set;
        }

        return set;
    }

    public bool IsRuleName(string[] pkg, string name) =>
        ruleNamesByPackage.TryGetValue(string.Join('.', pkg), out var set) && set.Contains(name);

    private static void SetupRule(Rule r)
    {
        var path = new List<string>(r.Module.Package) { ((VarTerm)r.HeadRef[0]).Name };
        var i = 1;
        var isSetOrFunc = r.Kind is RuleKind.PartialSet or RuleKind.Function;
        while (i < r.HeadRef.Length && r.HeadRef[i] is ScalarTerm { Value: StringValue s } &&
               (isSetOrFunc || i < r.HeadRef.Length - 1 || r.HeadRef.Skip(i).All(t => t is ScalarTerm { Value: StringValue })))
        {
            path.Add(s.Value);
            i++;
        }

        r.Path = [.. path];
        r.KeyTerms = r.HeadRef[i..];
        if (r.Kind == RuleKind.PartialSet && r.KeyTerms.Length > 0)
        {
            // p[x].q contains y: an object whose leaves are sets.
            r.Kind = RuleKind.PartialObject;
            r.SetLeaf = true;
        }

        if (r.Kind == RuleKind.Complete && r.KeyTerms.Length > 0)
        {
            r.Kind = RuleKind.PartialObject;
        }

        for (var e = r.Else; e != null; e = e.Else)
        {
            e.Module = r.Module;
            e.Path = r.Path;
            e.KeyTerms = r.KeyTerms;
            e.Kind = r.Kind;
            e.SetLeaf = r.SetLeaf;
        }
    }

    private void AddToTree(Rule r)
    {
        var node = Root;
        foreach (var seg in r.Path)
        {
            node = node.GetOrAdd(seg);
        }

        var kind = node.HasRules ? node.Kind : r.Kind;
        if (kind != r.Kind || (kind == RuleKind.Function && node.Rules.Count > 0 && node.Rules[0].Args!.Length != r.Args!.Length))
        {
            errors.Add(new RegoError(RegoErrorKind.TypeError, $"conflicting rules data.{string.Join('.', r.Path)} found", r.Module.File, r.Loc.Line, r.Loc.Column));
            return;
        }

        if (r.IsDefault)
        {
            if (node.Default != null)
            {
                errors.Add(new RegoError(RegoErrorKind.CompileError, $"multiple default rules data.{string.Join('.', r.Path)} found", r.Module.File, r.Loc.Line, r.Loc.Column));
            }

            node.Default = r;
        }
        else
        {
            node.Rules.Add(r);
        }
    }

    /// <summary>Finds the user function a dotted call name refers to, if any.</summary>
    public string[]? ResolveFunction(Module m, string name, Func<string, Term?> importLookup)
    {
        var segs = name.Split('.');
        string[]? path = null;
        if (segs[0] == "data")
        {
            path = segs[1..];
        }
        else if (importLookup(segs[0]) is RefTerm { Head: VarTerm { Name: "data" } } imp && imp.Path.All(p => p is ScalarTerm { Value: StringValue }))
        {
            path = [.. imp.Path.Select(p => ((StringValue)((ScalarTerm)p).Value).Value), .. segs[1..]];
        }
        else if (IsRuleName(m.Package, segs[0]))
        {
            path = [.. m.Package, .. segs];
        }

        return path != null && Root.Find(path) is { IsFunction: true } ? path : null;
    }

    public static BuiltinFunction? Builtin(string name) => BuiltinRegistry.Lookup(name);
}
