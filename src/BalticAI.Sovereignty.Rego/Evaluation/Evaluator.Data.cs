using BalticAI.Sovereignty.Rego.Compilation;
using BalticAI.Sovereignty.Rego.Syntax;
using BalticAI.Sovereignty.Rego.Values;

namespace BalticAI.Sovereignty.Rego.Evaluation;

/// <summary>The data document: base data merged with rule values, with `with data...` replacements.</summary>
internal sealed partial class Evaluator
{
    private static readonly ScalarTerm TrueTerm = new() { Value = BoolValue.True, Loc = new Location("", 0, 0) };
    /// <summary>Cache markers: a rule being evaluated (recursion check) and a rule known to be undefined.</summary>
    private static readonly Value InProgress = new StringValue("\u0000in-progress");
    private static readonly Value UndefinedMarker = new StringValue("\u0000undefined");

    /// <summary>Rule values by node id for this evaluation (a fresh array inside each `with` scope).</summary>
    private Value?[] cache;

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
            return baseVal != null && WalkPath(baseVal, path, i, f, k, baseData: true);
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
        var cached = cache[node.Id];
        if (cached != null && cached != InProgress)
        {
            return cached == UndefinedMarker ? null : cached;
        }

        var rule = node.Rules.Count > 0 ? node.Rules[0] : node.Default!;
        if (cached == InProgress)
        {
            throw new RegoException(RegoErrorKind.RecursionError, $"rego_recursion_error: rule data.{string.Join('.', node.Path)} is recursive", rule.Module.File, rule.Loc.Line, rule.Loc.Column);
        }

        Enter(rule.Loc);
        var scope = cache;
        scope[node.Id] = InProgress;
        try
        {
            var v = node.Kind switch
            {
                RuleKind.PartialSet => PartialSet(node),
                RuleKind.PartialObject => PartialObject(node),
                _ => CompleteValue(node),
            };
            scope[node.Id] = v ?? UndefinedMarker;
            return v;
        }
        catch
        {
            scope[node.Id] = null;
            throw;
        }
        finally
        {
            Leave();
        }
    }
}
