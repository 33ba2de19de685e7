using BalticAI.Sovereignty.Rego.Compilation;
using BalticAI.Sovereignty.Rego.Syntax;
using BalticAI.Sovereignty.Rego.Values;

namespace BalticAI.Sovereignty.Rego.Evaluation;

/// <summary>Rule evaluation: complete values, partial sets and objects, user function calls, conflicts.</summary>
internal sealed partial class Evaluator
{
    /// <summary>
    /// State of the innermost rule whose solutions are being collected. Kept in fields, saved and restored
    /// around each rule, so the collecting continuations are allocated once per evaluator, not per rule.
    /// </summary>
    private Rule? collectRule;
    private Value?[]? collectFrame;
    private Value? collectResult;
    private HashSet<Value>? collectSet;
    private bool collectFound;
    private Func<bool>? completeK;
    private Func<bool>? setK;

    private Value? CompleteValue(RuleNode node)
    {
        var saved = (collectRule, collectFrame, collectResult, collectFound);
        completeK ??= CollectComplete;
        collectResult = null;
        try
        {
            foreach (var rule in node.Rules)
            {
                CollectDefinition(rule);
            }

            return collectResult ?? DefaultValue(node);
        }
        finally
        {
            (collectRule, collectFrame, collectResult, collectFound) = saved;
        }
    }

    /// <summary>Adds one definition's value to collectResult: that of the first body in its else chain that holds.</summary>
    private void CollectDefinition(Rule rule)
    {
        for (var r = rule; r != null; r = r.Else)
        {
            collectRule = r;
            collectFrame = RentFrame(r.SlotCount);
            collectFound = false;
            EvalBody(r.Body, 0, collectFrame, completeK!);
            ReturnFrame(collectFrame);
            if (collectFound)
            {
                break;
            }
        }
    }

    private bool CollectComplete()
    {
        collectFound = true;
        var rule = collectRule!;
        Coverage?.Hit(rule.Loc);
        var frame = collectFrame!;
        var valueTerm = rule.Value ?? TrueTerm;
        if (TryDirect(valueTerm, frame, out var direct))
        {
            AddComplete(direct, rule);
            return false;
        }

        return CollectEnumerated(valueTerm, frame, rule);
    }

    /// <summary>Apart from CollectComplete, whose direct path would otherwise allocate this closure on entry.</summary>
    private bool CollectEnumerated(Term valueTerm, Value?[] frame, Rule rule) =>
        EvalTerm(valueTerm, frame, v =>
        {
            AddComplete(v, rule);
            return false;
        });

    private void AddComplete(Value? v, Rule rule)
    {
        if (v == null)
        {
            return;
        }

        if (collectResult != null && !collectResult.Equals(v))
        {
            throw Conflict(rule, rule.Args == null
                ? $"complete rules must not produce multiple outputs (rule data.{string.Join('.', rule.Path)} produced conflicting values)"
                : $"functions must not produce multiple outputs for same inputs (function data.{string.Join('.', rule.Path)} produced conflicting values for the same inputs)");
        }

        collectResult = v;
    }

    private Value? DefaultValue(RuleNode node)
    {
        if (node.Default is not { } d)
        {
            return null;
        }

        Coverage?.Hit(d.Loc);
        return FirstValueOf(d.Value!, new Value?[d.SlotCount]);
    }

    private SetValue PartialSet(RuleNode node)
    {
        var saved = (collectRule, collectFrame, collectSet);
        setK ??= CollectSetElement;
        collectSet = null;
        try
        {
            foreach (var r in node.Rules)
            {
                collectRule = r;
                collectFrame = RentFrame(r.SlotCount);
                EvalBody(r.Body, 0, collectFrame, setK);
                ReturnFrame(collectFrame);
            }

            // Created on the first element: many partial sets (reasons to deny) are empty on most decisions.
            return collectSet is { } set ? new SetValue(set) : SetValue.Empty;
        }
        finally
        {
            (collectRule, collectFrame, collectSet) = saved;
        }
    }

    private bool CollectSetElement()
    {
        Coverage?.Hit(collectRule!.Loc);
        if (TryDirect(collectRule!.Key!, collectFrame!, out var direct))
        {
            if (direct != null)
            {
                (collectSet ??= []).Add(direct);
            }

            return false;
        }

        return CollectEnumeratedElements(collectRule.Key!, collectFrame!);
    }

    /// <summary>Apart from CollectSetElement, whose direct path would otherwise allocate this closure on entry.</summary>
    private bool CollectEnumeratedElements(Term key, Value?[] frame) =>
        EvalTerm(key, frame, v =>
        {
            (collectSet ??= []).Add(v);
            return false;
        });

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
                    Coverage?.Hit(current.Loc);
                    return EvalItems(current.KeyTerms, 0, new Value[current.KeyTerms.Length], frame, keys =>
                        EvalTerm((current.SetLeaf ? current.Key : current.Value) ?? TrueTerm, frame, v =>
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

        foreach (var child in node.Children.Values)
        {
            MergeNode(root, child, node.Rules[0]);
        }

        return ToObject(root);
    }

    /// <summary>
    /// Adds the rules of a child node (e.g. p.a.r := 1 under p[q].r := ...) into the object being built.
    /// Rule values are leaves: a leaf may not be extended or replaced (conflict); sets from `contains` merge.
    /// </summary>
    private void MergeNode(Dictionary<Value, object> tree, RuleNode child, Rule r)
    {
        var key = new StringValue(child.Path[^1]);
        if (child.HasRules)
        {
            if (child.IsFunction || NodeValue(child) is not { } v)
            {
                return;
            }

            if (!tree.TryGetValue(key, out var existing))
            {
                tree[key] = v;
            }
            else if (existing is HashSet<Value> set && v is SetValue sv)
            {
                set.UnionWith(sv.Items);
            }
            else if (existing is not Value ev || !ev.Equals(v))
            {
                throw Conflict(r, "object keys must be unique");
            }

            return;
        }

        if (!tree.TryGetValue(key, out var sub))
        {
            sub = new Dictionary<Value, object>();
            tree[key] = sub;
        }

        var dict = sub as Dictionary<Value, object> ?? throw Conflict(r, "object keys must be unique");
        foreach (var grandchild in child.Children.Values)
        {
            MergeNode(dict, grandchild, r);
        }
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

        if (r.SetLeaf)
        {
            if (!cur.TryGetValue(keys[^1], out var leaf))
            {
                leaf = new HashSet<Value>();
                cur[keys[^1]] = leaf;
            }

            (leaf as HashSet<Value> ?? throw Conflict(r, "object keys must be unique")).Add(v);
            return;
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
            map[k] = v switch
            {
                Value value => value,
                HashSet<Value> set => new SetValue(set),
                _ => ToObject((Dictionary<Value, object>)v),
            };
        }

        return new ObjectValue(map);
    }

    private static RegoException Conflict(Rule r, string message) =>
        new(RegoErrorKind.EvalConflictError, message, r.Module.File, r.Loc.Line, r.Loc.Column);
}
