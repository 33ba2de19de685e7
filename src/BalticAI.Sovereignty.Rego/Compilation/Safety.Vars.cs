using BalticAI.Sovereignty.Rego.Syntax;

namespace BalticAI.Sovereignty.Rego.Compilation;

/// <summary>Which frame slots a term reads, binds or mentions; closures only count variables of outer scopes.</summary>
internal sealed partial class Safety
{
    public static void PatternVars(Term t, HashSet<int> outs, HashSet<int> _)
    {
        switch (t)
        {
            case VarTerm { Slot: >= 0 } v:
                outs.Add(v.Slot);
                break;
            case ArrayTerm a:
                Array.ForEach(a.Items, i => PatternVars(i, outs, outs));
                break;
            case ObjectTerm o:
                foreach (var (_, v) in o.Items)
                {
                    PatternVars(v, outs, outs);
                }

                break;
        }
    }

    public static void Inputs(Term t, HashSet<int> inputs) => Inputs(t, inputs, new HashSet<int>());

    /// <summary>Variables read by evaluating the term (inputs) and variables bound by iterating references (outs).</summary>
    private static void Inputs(Term t, HashSet<int> inputs, HashSet<int> outs)
    {
        switch (t)
        {
            case VarTerm { Slot: >= 0 } v:
                inputs.Add(v.Slot);
                break;
            case RefTerm r:
                Inputs(r.Head, inputs, outs);
                foreach (var p in r.Path)
                {
                    if (p is VarTerm or ArrayTerm or ObjectTerm)
                    {
                        PatternVars(p, outs, outs);
                        if (p is ObjectTerm ot)
                        {
                            foreach (var (k, _) in ot.Items)
                            {
                                Inputs(k, inputs, outs);
                            }
                        }
                    }
                    else
                    {
                        Inputs(p, inputs, outs);
                    }
                }

                break;
            case CallTerm c:
                Array.ForEach(c.Args, a => Inputs(a, inputs, outs));
                break;
            case ArrayTerm a:
                Array.ForEach(a.Items, i => Inputs(i, inputs, outs));
                break;
            case SetTerm s:
                Array.ForEach(s.Items, i => Inputs(i, inputs, outs));
                break;
            case ObjectTerm o:
                foreach (var (k, v) in o.Items)
                {
                    Inputs(k, inputs, outs);
                    Inputs(v, inputs, outs);
                }

                break;
            case ComprehensionTerm c:
                var all = new HashSet<int>();
                AllVars(c.Head, all);
                if (c.Value != null)
                {
                    AllVars(c.Value, all);
                }

                BodyVars(c.Body, all);
                inputs.UnionWith(all.Where(s => s < c.LocalStart || s >= c.LocalEnd));
                break;
        }
    }

    private static bool FreeVarsBound(Body body, int start, int end, HashSet<int> bound)
    {
        var all = new HashSet<int>();
        BodyVars(body, all);
        return all.Where(s => s < start || s >= end).All(bound.Contains);
    }

    private static void BodyVars(Body body, HashSet<int> all)
    {
        foreach (var e in body.Exprs)
        {
            foreach (var t in e.Terms)
            {
                if (t != null)
                {
                    AllVars(t, all);
                }
            }

            foreach (var w in e.With)
            {
                AllVars(w.Value, all);
            }

            if (e.Body != null)
            {
                BodyVars(e.Body, all);
            }
        }
    }

    public static void AllVars(Term t, HashSet<int> all)
    {
        switch (t)
        {
            case VarTerm { Slot: >= 0 } v:
                all.Add(v.Slot);
                break;
            case RefTerm r:
                AllVars(r.Head, all);
                Array.ForEach(r.Path, p => AllVars(p, all));
                break;
            case CallTerm c:
                Array.ForEach(c.Args, a => AllVars(a, all));
                break;
            case ArrayTerm a:
                Array.ForEach(a.Items, i => AllVars(i, all));
                break;
            case SetTerm s:
                Array.ForEach(s.Items, i => AllVars(i, all));
                break;
            case ObjectTerm o:
                foreach (var (k, v) in o.Items)
                {
                    AllVars(k, all);
                    AllVars(v, all);
                }

                break;
            case ComprehensionTerm c:
                AllVars(c.Head, all);
                if (c.Value != null)
                {
                    AllVars(c.Value, all);
                }

                BodyVars(c.Body, all);
                break;
        }
    }
}
