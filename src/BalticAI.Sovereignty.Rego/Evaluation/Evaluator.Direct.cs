using BalticAI.Sovereignty.Rego.Compilation;
using BalticAI.Sovereignty.Rego.Syntax;
using BalticAI.Sovereignty.Rego.Values;

namespace BalticAI.Sovereignty.Rego.Evaluation;

/// <summary>
/// Fast path for terms that yield at most one value (no variable to enumerate): evaluated directly, without
/// continuations. Returns false when the term needs the general enumerating path.
/// </summary>
internal sealed partial class Evaluator
{
    private bool TryDirect(Term t, Value?[] f, out Value? value)
    {
        value = null;
        switch (t)
        {
            case ScalarTerm s:
                value = s.Value;
                return true;
            case VarTerm v:
                if (v.Slot >= 0)
                {
                    value = f[v.Slot];
                    return value != null;
                }

                if (v.Name == "input")
                {
                    value = input;
                    return true;
                }

                return false;
            case RefTerm r:
                return TryDirectRef(r, f, out value);
            case CallTerm c:
                return TryDirectCall(c, f, out value);
            case ArrayTerm a:
                var items = new Value[a.Items.Length];
                for (var i = 0; i < items.Length; i++)
                {
                    if (!TryDirect(a.Items[i], f, out var item))
                    {
                        return false;
                    }

                    if (item == null)
                    {
                        return true;
                    }

                    items[i] = item;
                }

                value = new ArrayValue(items);
                return true;
            case SetTerm st:
                var elements = new HashSet<Value>(st.Items.Length);
                foreach (var item in st.Items)
                {
                    if (!TryDirect(item, f, out var element))
                    {
                        return false;
                    }

                    if (element == null)
                    {
                        return true;
                    }

                    elements.Add(element);
                }

                value = new SetValue(elements);
                return true;
            case ObjectTerm o:
                var map = new Dictionary<Value, Value>(o.Items.Length);
                foreach (var (kt, vt) in o.Items)
                {
                    if (!TryDirect(kt, f, out var key) || !TryDirect(vt, f, out var val))
                    {
                        return false;
                    }

                    if (key == null || val == null)
                    {
                        return true;
                    }

                    map[key] = val;
                }

                value = new ObjectValue(map);
                return true;
            case ComprehensionTerm ct:
                value = EvalComprehension(ct, f);
                return true;
            default:
                return false;
        }
    }

    private bool TryDirectRef(RefTerm r, Value?[] f, out Value? value)
    {
        value = null;
        var path = r.Path;
        Value? cur;
        var i = 0;
        var baseData = false;
        if (r.Head is VarTerm { Slot: < 0, Name: "data" })
        {
            if (dataOverrides.Count > 0)
            {
                return false;
            }

            var prefix = r.Prefix ??= ConstantPrefix(path);
            if (prefix.Undefined)
            {
                return true;
            }

            var node = prefix.Node;
            cur = prefix.Base;
            i = prefix.Consumed;
            for (; i < path.Length && node != null; i++)
            {
                if (node.HasRules)
                {
                    break;
                }

                if (!TryDirect(path[i], f, out var key))
                {
                    return false;
                }

                if (key == null)
                {
                    return true;
                }

                if (key is not StringValue s)
                {
                    return false;
                }

                node = node.Children.GetValueOrDefault(s.Value);
                cur = cur == null ? null : Lookup(cur, key);
                if (node == null && cur == null)
                {
                    return true;
                }
            }

            baseData = node == null;
            if (node != null)
            {
                cur = node.HasRules ? cur ?? (node.IsFunction ? null : NodeValue(node)) : FullValue(node, cur, null);
            }
        }
        else if (!TryDirect(r.Head, f, out cur))
        {
            return false;
        }

        for (; i < path.Length && cur != null; i++)
        {
            if (!TryDirect(path[i], f, out var key))
            {
                return false;
            }

            cur = key == null ? null : Lookup(cur, key) ?? (baseData ? LookupStringKey(cur, key) : null);
        }

        value = cur;
        return true;
    }

    /// <summary>Walks the constant string keys at the start of a data path through the rule tree and base data.</summary>
    private DataPrefix ConstantPrefix(Term[] path)
    {
        RuleNode? node = policy.Root;
        Value? cur = policy.Data;
        var i = 0;
        for (; i < path.Length && node is { HasRules: false } && path[i] is ScalarTerm { Value: StringValue s }; i++)
        {
            node = node.Children.GetValueOrDefault(s.Value);
            cur = cur == null ? null : Lookup(cur, s);
            if (node == null && cur == null)
            {
                return new DataPrefix(null, null, i + 1, true);
            }
        }

        return new DataPrefix(node, cur, i, false);
    }

    private bool TryDirectCall(CallTerm c, Value?[] f, out Value? value)
    {
        value = null;
        if (fnOverrides != null || c.Builtin?.Name is "walk" or "print")
        {
            return false;
        }

        var args = (argPool ??= new()).Rent(c.Args.Length);
        var handled = TryDirectCallWith(c, args, f, out value);
        argPool.Return(args);
        return handled;
    }

    private bool TryDirectCallWith(CallTerm c, Value[] args, Value?[] f, out Value? value)
    {
        value = null;
        for (var i = 0; i < args.Length; i++)
        {
            if (!TryDirect(c.Args[i], f, out var arg))
            {
                return false;
            }

            if (arg == null)
            {
                return true;
            }

            args[i] = arg;
        }

        if (c.FunctionPath != null)
        {
            if (args.Length != c.FunctionArity)
            {
                return false;
            }

            value = CallUserValue(c.FunctionPath, args, c.Loc);
            return true;
        }

        if (args.Length != c.Builtin!.Arity && c.Builtin.Arity >= 0)
        {
            return false;
        }

        value = CallBuiltin(c.Builtin, c, args);
        return true;
    }
}
