using BalticAI.Sovereignty.Rego.Compilation;
using BalticAI.Sovereignty.Rego.Syntax;
using BalticAI.Sovereignty.Rego.Values;

namespace BalticAI.Sovereignty.Rego.Evaluation;

/// <summary>The data document: base data merged with rule values, with `with data...` replacements.</summary>
internal sealed partial class Evaluator
{
    private static readonly ScalarTerm TrueTerm = new() { Value = BoolValue.True, Loc = new Location("", 0, 0) };
    private readonly HashSet<RuleNode> inProgress = [];
    private Dictionary<RuleNode, Value?> cache = [];

    /// <summary>
    /// Walks the rule tree and base data together. `prefix` is the concrete path so far, tracked only while
    /// `with data...` replacements are active.
    /// </summary>
    private bool DataRef(RuleNode? node, Value? baseVal, Term[] path, int i, string[]? prefix, Value?[] f, Func<Value, bool> k)
    {
        if (prefix != null)
        {
            var exact = FindOverride(prefix);
            if (exact != null)
            {
                return WalkPath(exact, path, i, f, k);
            }

            if (HasOverrideUnder(prefix) && (i == path.Length || node is null or { HasRules: true } || !IsConstantString(path[i])))
            {
                return FullValue(node, baseVal, prefix) is { } patched && WalkPath(patched, path, i, f, k);
            }
        }

        if (node is { HasRules: true } && baseVal != null)
        {
            return WalkPath(baseVal, path, i, f, k);
        }

        if (node is { HasRules: true })
        {
            return NodeValue(node) is { } v && WalkPath(v, path, i, f, k);
        }

        if (i == path.Length)
        {
            return FullValue(node, baseVal, prefix) is { } full && k(full);
        }

        if (node == null)
        {
            return baseVal != null && WalkPath(baseVal, path, i, f, k);
        }

        var p = path[i];
        if (p is VarTerm { Slot: >= 0 } v2 && f[v2.Slot] == null)
        {
            var keys = new SortedSet<Value>(node.Children.Keys.Select(x => (Value)new StringValue(x)));
            if (baseVal is ObjectValue bo)
            {
                keys.UnionWith(bo.Keys);
            }

            foreach (var key in keys)
            {
                f[v2.Slot] = key;
                var stop = Descend(node, baseVal, key, path, i, prefix, f, k);
                f[v2.Slot] = null;
                if (stop)
                {
                    return true;
                }
            }

            return false;
        }

        if (TryGround(p, f) is { } g)
        {
            return Descend(node, baseVal, g, path, i, prefix, f, k);
        }

        return EvalTerm(p, f, key => Descend(node, baseVal, key, path, i, prefix, f, k));
    }

    private bool Descend(RuleNode node, Value? baseVal, Value key, Term[] path, int i, string[]? prefix, Value?[] f, Func<Value, bool> k)
    {
        var b = baseVal == null ? null : Lookup(baseVal, key);
        if (key is NumberValue && b == null && baseVal is ObjectValue)
        {
            key = new StringValue(key.ToString());
            b = Lookup(baseVal, key);
        }

        if (key is not StringValue s)
        {
            return b != null && WalkPath(b, path, i + 1, f, k);
        }

        node.Children.TryGetValue(s.Value, out var child);
        string[]? next = prefix == null ? null : [.. prefix, s.Value];
        if (child == null && b == null && (next == null || (FindOverride(next) == null && !HasOverrideUnder(next))))
        {
            return false;
        }

        return DataRef(child, b, path, i + 1, next, f, k);
    }

    private static bool IsConstantString(Term t) => t is ScalarTerm { Value: StringValue };

    /// <summary>The whole document at a node: base data plus every defined rule value below it.</summary>
    private Value? FullValue(RuleNode? node, Value? baseVal, string[]? prefix)
    {
        Value? result;
        if (node == null)
        {
            result = baseVal;
        }
        else if (node.HasRules)
        {
            result = node.IsFunction ? null : NodeValue(node);
        }
        else
        {
            var map = baseVal is ObjectValue o ? new Dictionary<Value, Value>(o.Map) : [];
            foreach (var (name, child) in node.Children)
            {
                var key = new StringValue(name);
                if (map.ContainsKey(key) && child.HasRules)
                {
                    continue;
                }

                var cv = FullValue(child, map.GetValueOrDefault(key), prefix == null ? null : [.. prefix, name]);
                if (cv != null)
                {
                    map[key] = cv;
                }
            }

            result = new ObjectValue(map);
        }

        return prefix == null ? result : ApplyOverrides(result, prefix);
    }

    /// <summary>Value of the rules at a node, computed once per evaluation (and per `with` scope).</summary>
    private Value? NodeValue(RuleNode node)
    {
        if (cache.TryGetValue(node, out var cached))
        {
            return cached;
        }

        var rule = node.Rules.Count > 0 ? node.Rules[0] : node.Default!;
        if (!inProgress.Add(node))
        {
            throw new RegoException(RegoErrorKind.RecursionError, $"rego_recursion_error: rule data.{string.Join('.', node.Path)} is recursive", rule.Module.File, rule.Loc.Line, rule.Loc.Column);
        }

        Enter(rule.Loc);
        try
        {
            var v = node.Kind switch
            {
                RuleKind.PartialSet => PartialSet(node),
                RuleKind.PartialObject => PartialObject(node),
                _ => CompleteValue(node),
            };
            cache[node] = v;
            return v;
        }
        finally
        {
            Leave();
            inProgress.Remove(node);
        }
    }

    private Value? CompleteValue(RuleNode node)
    {
        Value? result = null;
        foreach (var rule in node.Rules)
        {
            for (var r = rule; r != null; r = r.Else)
            {
                var frame = new Value?[r.SlotCount];
                var found = false;
                var current = r;
                EvalBody(r.Body, 0, frame, () =>
                {
                    found = true;
                    return EvalTerm(current.Value ?? TrueTerm, frame, v =>
                    {
                        if (result != null && !result.Equals(v))
                        {
                            throw Conflict(current, "complete rules must not produce multiple outputs");
                        }

                        result = v;
                        return false;
                    });
                });
                if (found)
                {
                    break;
                }
            }
        }

        return result ?? DefaultValue(node);
    }

    private Value? DefaultValue(RuleNode node)
    {
        if (node.Default is not { } d)
        {
            return null;
        }

        Value? result = null;
        EvalTerm(d.Value!, new Value?[d.SlotCount], v =>
        {
            result = v;
            return true;
        });
        return result;
    }

    private SetValue PartialSet(RuleNode node)
    {
        var set = new HashSet<Value>();
        foreach (var r in node.Rules)
        {
            var frame = new Value?[r.SlotCount];
            EvalBody(r.Body, 0, frame, () => EvalTerm(r.Key!, frame, v =>
            {
                set.Add(v);
                return false;
            }));
        }

        return new SetValue(set);
    }

    private ObjectValue PartialObject(RuleNode node)
    {
        var root = new Dictionary<Value, object>();
        foreach (var rule in node.Rules)
        {
            for (var r = rule; r != null; r = r.Else)
            {
                var frame = new Value?[r.SlotCount];
                var found = false;
                var current = r;
                EvalBody(r.Body, 0, frame, () =>
                {
                    found = true;
                    return EvalItems(current.KeyTerms, 0, new Value[current.KeyTerms.Length], frame, keys =>
                        EvalTerm(current.Value ?? TrueTerm, frame, v =>
                        {
                            InsertPath(root, keys, v, current);
                            return false;
                        }));
                });
                if (found)
                {
                    break;
                }
            }
        }

        var obj = ToObject(root);
        foreach (var (name, child) in node.Children)
        {
            if (FullValue(child, null, null) is { } cv)
            {
                var map = new Dictionary<Value, Value>(obj.Map) { [new StringValue(name)] = cv };
                obj = new ObjectValue(map);
            }
        }

        return obj;
    }

    private void InsertPath(Dictionary<Value, object> root, Value[] keys, Value v, Rule r)
    {
        var cur = root;
        for (var i = 0; i < keys.Length - 1; i++)
        {
            if (!cur.TryGetValue(keys[i], out var next))
            {
                next = new Dictionary<Value, object>();
                cur[keys[i]] = next;
            }

            cur = next as Dictionary<Value, object> ?? throw Conflict(r, "object keys must be unique");
        }

        if (cur.TryGetValue(keys[^1], out var existing))
        {
            if (existing is not Value ev || !ev.Equals(v))
            {
                throw Conflict(r, "object keys must be unique");
            }
        }

        cur[keys[^1]] = v;
    }

    private static ObjectValue ToObject(Dictionary<Value, object> tree)
    {
        var map = new Dictionary<Value, Value>(tree.Count);
        foreach (var (k, v) in tree)
        {
            map[k] = v as Value ?? ToObject((Dictionary<Value, object>)v);
        }

        return new ObjectValue(map);
    }

    private static RegoException Conflict(Rule r, string message) =>
        new(RegoErrorKind.EvalConflictError, message, r.Module.File, r.Loc.Line, r.Loc.Column);

    /// <summary>Calls a user function: every definition whose arguments match contributes; outputs must agree.</summary>
    private bool CallUser(string[] path, Value[] args, Location loc, Func<Value, bool> k)
    {
        var node = policy.Root.Find(path);
        if (node == null || !node.IsFunction)
        {
            return false;
        }

        Enter(loc);
        Value? result = null;
        try
        {
            foreach (var rule in node.Rules)
            {
                for (var r = rule; r != null; r = r.Else)
                {
                    var frame = new Value?[r.SlotCount];
                    var found = false;
                    var current = r;
                    UnifyItems(r.Args!, args, 0, frame, () => EvalBody(current.Body, 0, frame, () =>
                    {
                        found = true;
                        return EvalTerm(current.Value ?? TrueTerm, frame, v =>
                        {
                            if (result != null && !result.Equals(v))
                            {
                                throw Conflict(current, "functions must not produce multiple outputs for same inputs");
                            }

                            result = v;
                            return false;
                        });
                    }));
                    if (found)
                    {
                        break;
                    }
                }
            }

            result ??= DefaultValue(node);
        }
        finally
        {
            Leave();
        }

        return result != null && k(result);
    }
}
