using BalticAI.Sovereignty.Rego.Syntax;
using BalticAI.Sovereignty.Rego.Values;

namespace BalticAI.Sovereignty.Rego.Compilation;

/// <summary>Name collection (which variables a scope owns) and resolution of `with` targets.</summary>
internal sealed partial class Resolver
{
    private static void CollectHead(Rule r, List<string> names)
    {
        foreach (var t in r.KeyTerms)
        {
            CollectTerm(t, names);
        }

        if (r.Key != null)
        {
            CollectTerm(r.Key, names);
        }

        if (r.Value != null)
        {
            CollectTerm(r.Value, names);
        }
    }

    /// <summary>Names used in a body outside nested closures; `declared` gets names introduced by some and :=.</summary>
    private static void CollectBody(Body body, List<string> names, HashSet<string> declared)
    {
        foreach (var e in body.Exprs)
        {
            switch (e.Kind)
            {
                case ExprKind.Some:
                case ExprKind.SomeIn:
                    for (var i = 0; i < e.Terms.Length; i++)
                    {
                        if (e.Terms[i] is { } t)
                        {
                            CollectTerm(t, names);
                            if (e.Kind == ExprKind.Some || i < 2)
                            {
                                CollectTerm(t, declared);
                            }
                        }
                    }

                    break;
                case ExprKind.Every:
                    CollectTerm(e.Terms[2]!, names);
                    break;
                case ExprKind.Assign:
                    CollectTerm(e.Terms[0]!, names);
                    CollectTerm(e.Terms[0]!, declared);
                    CollectTerm(e.Terms[1]!, names);
                    break;
                default:
                    foreach (var t in e.Terms)
                    {
                        if (t != null)
                        {
                            CollectTerm(t, names);
                        }
                    }

                    break;
            }

            foreach (var w in e.With.Where(w => DottedName(w.Value) == null))
            {
                CollectTerm(w.Value, names);
            }
        }
    }

    private static void CollectTerm(Term t, ICollection<string> names)
    {
        switch (t)
        {
            case VarTerm v:
                names.Add(v.Name);
                break;
            case RefTerm r:
                CollectTerm(r.Head, names);
                foreach (var p in r.Path)
                {
                    CollectTerm(p, names);
                }

                break;
            case CallTerm c:
                foreach (var a in c.Args)
                {
                    CollectTerm(a, names);
                }

                break;
            case ArrayTerm a:
                foreach (var i in a.Items)
                {
                    CollectTerm(i, names);
                }

                break;
            case SetTerm s:
                foreach (var i in s.Items)
                {
                    CollectTerm(i, names);
                }

                break;
            case ObjectTerm o:
                foreach (var (k, v) in o.Items)
                {
                    CollectTerm(k, names);
                    CollectTerm(v, names);
                }

                break;
        }
    }

    private void ResolveWith(WithModifier w, Scope scope)
    {
        var target = DottedName(w.Target) ?? throw WithError(w, "with keyword target must reference existing input, data, or a function");
        var segs = target.Split('.');
        if (segs[0] == "input")
        {
            w.TargetKind = WithTargetKind.Input;
            w.TargetPath = segs[1..];
        }
        else if (segs[0] == "data" && compiler.Root.Find(segs[1..]) is not { IsFunction: true })
        {
            w.TargetKind = WithTargetKind.Data;
            w.TargetPath = segs[1..];
        }
        else
        {
            w.TargetKind = WithTargetKind.Function;
            w.TargetPath = [FunctionKey(target) ?? throw WithError(w, "with keyword target must reference existing input, data, or a function")];
        }

        if (w.TargetKind == WithTargetKind.Function && DottedName(w.Value) is { } name &&
            !(w.Value is VarTerm v && scope.Lookup(v.Name) != null) && FunctionKey(name) is { } replacement)
        {
            w.ReplacementFunction = replacement;
            return;
        }

        w.Value = Resolve(w.Value, scope);
    }

    /// <summary>Key of a callable: "data.a.b.f" for user functions, the name for builtins; null if neither.</summary>
    private string? FunctionKey(string name)
    {
        var fn = compiler.ResolveFunction(module, name, n => imports.GetValueOrDefault(n));
        if (fn != null)
        {
            return "data." + string.Join('.', fn);
        }

        return Compiler.Builtin(name) != null ? name : null;
    }

    private static string? DottedName(Term t)
    {
        if (t is VarTerm v)
        {
            return v.Name;
        }

        if (t is RefTerm { Head: VarTerm hv } r && r.Path.All(p => p is ScalarTerm { Value: StringValue }))
        {
            return hv.Name + "." + string.Join('.', r.Path.Select(p => ((StringValue)((ScalarTerm)p).Value).Value));
        }

        return null;
    }

    private static RegoException WithError(WithModifier w, string message) =>
        new(RegoErrorKind.CompileError, message, w.Loc.File, w.Loc.Line, w.Loc.Column);
}
