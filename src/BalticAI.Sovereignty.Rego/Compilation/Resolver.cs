using BalticAI.Sovereignty.Rego.Syntax;
using BalticAI.Sovereignty.Rego.Values;

namespace BalticAI.Sovereignty.Rego.Compilation;

/// <summary>
/// Resolves the variables of one rule (with its else chain) or query: locals get frame slots, other names become
/// references to rules of the package, imports, data or input. Nested closures (comprehensions, every) get
/// their own scope; a name already known outside refers to the outer variable, as in OPA.
/// </summary>
internal sealed partial class Resolver
{
    private readonly Compiler compiler;
    private readonly Module module;
    private readonly Dictionary<string, Term> imports = new(StringComparer.Ordinal);
    private readonly List<string> slotNames = [];

    public Resolver(Compiler compiler, Module module)
    {
        this.compiler = compiler;
        this.module = module;
        foreach (var imp in module.Imports)
        {
            if (imp.Path is not RefTerm { Head: VarTerm { Name: "data" or "input" } } r)
            {
                if (imp.Path is VarTerm { Name: "input" or "data" } v)
                {
                    imports[imp.Alias ?? v.Name] = v;
                }

                continue;
            }

            var last = r.Path[^1] is ScalarTerm { Value: StringValue s } ? s.Value : null;
            var alias = imp.Alias ?? last;
            if (alias != null)
            {
                imports[alias] = r;
            }
        }
    }

    private sealed class Scope(Scope? parent)
    {
        public Scope? Parent { get; } = parent;

        public Dictionary<string, int> Vars { get; } = new(StringComparer.Ordinal);

        public int? Lookup(string name)
        {
            for (var s = this; s != null; s = s.Parent)
            {
                if (s.Vars.TryGetValue(name, out var slot))
                {
                    return slot;
                }
            }

            return null;
        }
    }

    /// <summary>The rule being resolved: `rego.metadata` calls in it give its METADATA.</summary>
    private Rule? current;

    public void ResolveRule(Rule rule)
    {
        current = rule;
        var scope = new Scope(null);
        var names = new List<string>();
        var declared = new HashSet<string>(StringComparer.Ordinal);
        foreach (var a in rule.Args ?? [])
        {
            CollectTerm(a, names);
            CollectTerm(a, declared);
        }

        for (var r = rule; r != null; r = r.Else)
        {
            CollectHead(r, names);
            CollectBody(r.Body, names, declared);
        }

        Declare(scope, names, declared);
        var args = rule.Args ?? [];
        for (var i = 0; i < args.Length; i++)
        {
            args[i] = Resolve(args[i], scope);
        }

        for (var i = 0; i < rule.HeadRef.Length; i++)
        {
            if (i > 0)
            {
                rule.HeadRef[i] = Resolve(rule.HeadRef[i], scope);
            }
        }

        for (var r = rule; r != null; r = r.Else)
        {
            r.KeyTerms = rule.HeadRef[(rule.HeadRef.Length - rule.KeyTerms.Length)..];
            r.Key = r.Key == null ? null : Resolve(r.Key, scope);
            r.Value = r.Value == null ? null : Resolve(r.Value, scope);
            ResolveBody(r.Body, scope);
        }

        for (var r = rule; r != null; r = r.Else)
        {
            var bound = new HashSet<int>();
            foreach (var a in args)
            {
                Safety.PatternVars(a, bound, bound);
            }

            new Safety(slotNames, module.File).Order(r.Body, bound);
            var head = new List<Term>(r.KeyTerms);
            if (r.Key != null)
            {
                head.Add(r.Key);
            }

            if (r.Value != null)
            {
                head.Add(r.Value);
            }

            foreach (var t in head)
            {
                var need = new HashSet<int>();
                Safety.Inputs(t, need);
                need.ExceptWith(bound);
                if (need.Count > 0)
                {
                    throw Unsafe(need.First(), t.Loc);
                }
            }

            r.SlotCount = slotNames.Count;
        }

        rule.SlotCount = slotNames.Count;
        for (var r = rule.Else; r != null; r = r.Else)
        {
            r.SlotCount = slotNames.Count;
        }
    }

    public CompiledQuery ResolveQuery(Body body)
    {
        var scope = new Scope(null);
        var names = new List<string>();
        var declared = new HashSet<string>(StringComparer.Ordinal);
        CollectBody(body, names, declared);
        Declare(scope, names, declared);
        ResolveBody(body, scope);
        new Safety(slotNames, module.File).Order(body, []);
        var results = scope.Vars.Where(kv => !kv.Key.StartsWith('$')).OrderBy(kv => kv.Value).Select(kv => (kv.Key, kv.Value)).ToArray();
        return new CompiledQuery { Body = body, SlotCount = slotNames.Count, ResultVars = results };
    }

    private RegoException Unsafe(int slot, Location loc) =>
        new(RegoErrorKind.UnsafeVarError, $"var {DisplayName(slotNames[slot])} is unsafe", loc.File, loc.Line, loc.Column);

    private static string DisplayName(string name) => name.StartsWith('$') ? "_" : name;

    private void Declare(Scope scope, List<string> names, HashSet<string> declared)
    {
        foreach (var n in names)
        {
            if (scope.Vars.ContainsKey(n))
            {
                continue;
            }

            if (!declared.Contains(n) && (scope.Parent?.Lookup(n) != null || IsGlobal(n)))
            {
                continue;
            }

            scope.Vars[n] = slotNames.Count;
            slotNames.Add(n);
        }
    }

    private bool IsGlobal(string name) =>
        name is "data" or "input" || imports.ContainsKey(name) || compiler.IsRuleName(module.Package, name);

    private void ResolveBody(Body body, Scope scope)
    {
        foreach (var e in body.Exprs)
        {
            if (e.Kind == ExprKind.Every)
            {
                e.Terms[2] = Resolve(e.Terms[2]!, scope);
                var inner = new Scope(scope);
                var names = new List<string>();
                var declared = new HashSet<string>(StringComparer.Ordinal);
                foreach (var t in e.Terms.Take(2).Where(t => t != null))
                {
                    CollectTerm(t!, names);
                    CollectTerm(t!, declared);
                }

                CollectBody(e.Body!, names, declared);
                e.LocalStart = slotNames.Count;
                Declare(inner, names, declared);
                for (var i = 0; i < 2; i++)
                {
                    e.Terms[i] = e.Terms[i] == null ? null : Resolve(e.Terms[i]!, inner);
                }

                ResolveBody(e.Body!, inner);
                e.LocalEnd = slotNames.Count;
            }
            else
            {
                for (var i = 0; i < e.Terms.Length; i++)
                {
                    e.Terms[i] = e.Terms[i] == null ? null : Resolve(e.Terms[i]!, scope);
                }
            }

            foreach (var w in e.With)
            {
                ResolveWith(w, scope);
            }
        }
    }

    private Term Resolve(Term t, Scope scope)
    {
        switch (t)
        {
            case VarTerm v:
                var slot = scope.Lookup(v.Name);
                if (slot != null)
                {
                    v.Slot = slot.Value;
                    return v;
                }

                return Global(v);
            case RefTerm r:
                var head = Resolve(r.Head, scope);
                for (var i = 0; i < r.Path.Length; i++)
                {
                    r.Path[i] = Resolve(r.Path[i], scope);
                }

                if (head is RefTerm hr)
                {
                    return new RefTerm { Head = hr.Head, Path = [.. hr.Path, .. r.Path], Loc = r.Loc };
                }

                r.Head = head;
                return r;
            case CallTerm c:
                for (var i = 0; i < c.Args.Length; i++)
                {
                    c.Args[i] = Resolve(c.Args[i], scope);
                }

                ResolveCall(c);
                return c;
            case ArrayTerm a:
                ResolveAll(a.Items, scope);
                return a.Items.All(x => x is ScalarTerm) ? Constant(a, new ArrayValue([.. a.Items.Select(x => ((ScalarTerm)x).Value)])) : a;
            case SetTerm s:
                ResolveAll(s.Items, scope);
                return s.Items.All(x => x is ScalarTerm) ? Constant(s, new SetValue([.. s.Items.Select(x => ((ScalarTerm)x).Value)])) : s;
            case ObjectTerm o:
                for (var i = 0; i < o.Items.Length; i++)
                {
                    o.Items[i] = (Resolve(o.Items[i].Key, scope), Resolve(o.Items[i].Value, scope));
                }

                if (o.Items.All(x => x.Key is ScalarTerm && x.Value is ScalarTerm) && o.Items.DistinctBy(x => ((ScalarTerm)x.Key).Value).Count() == o.Items.Length)
                {
                    return Constant(o, new ObjectValue(o.Items.ToDictionary(x => ((ScalarTerm)x.Key).Value, x => ((ScalarTerm)x.Value).Value)));
                }

                return o;
            case ComprehensionTerm ct:
                ResolveComprehension(ct, scope);
                return ct;
            default:
                return t;
        }
    }

    /// <summary>Literals made only of constants are folded once at compile time.</summary>
    private static ScalarTerm Constant(Term t, Value v) => new() { Value = v, Loc = t.Loc };

    private void ResolveComprehension(ComprehensionTerm ct, Scope scope)
    {
        var inner = new Scope(scope);
        var names = new List<string>();
        var declared = new HashSet<string>(StringComparer.Ordinal);
        CollectTerm(ct.Head, names);
        if (ct.Value != null)
        {
            CollectTerm(ct.Value, names);
        }

        CollectBody(ct.Body, names, declared);
        ct.LocalStart = slotNames.Count;
        Declare(inner, names, declared);
        ct.Head = Resolve(ct.Head, inner);
        ct.Value = ct.Value == null ? null : Resolve(ct.Value, inner);
        ResolveBody(ct.Body, inner);
        ct.LocalEnd = slotNames.Count;
    }

    private void ResolveAll(Term[] items, Scope scope)
    {
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = Resolve(items[i], scope);
        }
    }

    private Term Global(VarTerm v)
    {
        if (v.Name is "data" or "input")
        {
            return v;
        }

        if (imports.TryGetValue(v.Name, out var imp))
        {
            return imp is RefTerm r ? new RefTerm { Head = r.Head, Path = [.. r.Path], Loc = v.Loc } : new VarTerm { Name = ((VarTerm)imp).Name, Loc = v.Loc };
        }

        if (compiler.IsRuleName(module.Package, v.Name))
        {
            return DataRef([.. module.Package, v.Name], v.Loc);
        }

        throw new RegoException(RegoErrorKind.UnsafeVarError, $"var {DisplayName(v.Name)} is unsafe", v.Loc.File, v.Loc.Line, v.Loc.Column);
    }

    private static RefTerm DataRef(IEnumerable<string> path, Location loc) => new()
    {
        Head = new VarTerm { Name = "data", Loc = loc },
        Path = [.. path.Select(p => (Term)new ScalarTerm { Value = new StringValue(p), Loc = loc })],
        Loc = loc,
    };

    private void ResolveCall(CallTerm c)
    {
        var fn = compiler.ResolveFunction(module, c.Name, n => imports.GetValueOrDefault(n));
        if (fn != null)
        {
            c.FunctionPath = fn;
            var node = compiler.Root.Find(fn)!;
            c.FunctionArity = (node.Rules.Count > 0 ? node.Rules[0] : node.Default!).Args!.Length;
            CheckArity(c, c.FunctionArity);
            return;
        }

        if (c.Name is "rego.metadata.chain" or "rego.metadata.rule" && current is not null)
        {
            var metadata = compiler.Metadata(current, c.Name);
            c.Builtin = new Builtins.BuiltinFunction(c.Name, 0, (_, _) => metadata);
            CheckArity(c, 0);
            return;
        }

        c.Builtin = Compiler.Builtin(c.Name)
            ?? throw new RegoException(RegoErrorKind.TypeError, $"undefined function {c.Name}", c.Loc.File, c.Loc.Line, c.Loc.Column);
        if (c.Builtin.Arity >= 0)
        {
            CheckArity(c, c.Builtin.Arity);
        }
    }

    /// <summary>A call passes the declared arguments, optionally plus one output argument.</summary>
    private static void CheckArity(CallTerm c, int arity)
    {
        if (c.Args.Length != arity && c.Args.Length != arity + 1)
        {
            throw new RegoException(RegoErrorKind.TypeError, $"{c.Name}: arity mismatch: have {c.Args.Length} arguments, want {arity}", c.Loc.File, c.Loc.Line, c.Loc.Column);
        }
    }
}
