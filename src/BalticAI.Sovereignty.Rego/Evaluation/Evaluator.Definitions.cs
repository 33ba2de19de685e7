using BalticAI.Sovereignty.Rego.Syntax;
using BalticAI.Sovereignty.Rego.Values;

namespace BalticAI.Sovereignty.Rego.Evaluation;

/// <summary>Evaluation of a single rule definition apart from the other definitions at its path, as `opa test` runs one.</summary>
internal sealed partial class Evaluator
{
    /// <summary>
    /// The value one definition of a complete rule gives on its own (its else chain included, no other body, and no
    /// default unless it is the default), undefined as null.
    /// </summary>
    public Value? DefinitionValue(Rule rule)
    {
        Value? result = null;
        Run(() =>
        {
            if (rule.IsDefault)
            {
                Coverage?.Hit(rule.Loc);
                result = FirstValueOf(rule.Value!, new Value?[rule.SlotCount]);
                return true;
            }

            completeK ??= CollectComplete;
            collectResult = null;
            CollectDefinition(rule);
            result = collectResult;
            return true;
        });
        return result;
    }

    /// <summary>
    /// The document one definition gives at its path: a complete value, or the set or object its solutions build
    /// (empty when none). A function gives none: a reference to it without arguments names no document.
    /// </summary>
    public Value? DefinitionDocument(Rule rule)
    {
        switch (rule.Kind)
        {
            case RuleKind.Complete:
                return DefinitionValue(rule);
            case RuleKind.Function:
                return null;
        }

        var set = new HashSet<Value>();
        var tree = new Dictionary<Value, object>();
        var frame = new Value?[rule.SlotCount];
        Run(() => EvalBody(rule.Body, 0, frame, () =>
        {
            Coverage?.Hit(rule.Loc);
            return rule.Kind == RuleKind.PartialSet
                ? EvalTerm(rule.Key!, frame, v =>
                {
                    set.Add(v);
                    return false;
                })
                : EvalItems(rule.KeyTerms, 0, new Value[rule.KeyTerms.Length], frame, keys =>
                    EvalTerm((rule.SetLeaf ? rule.Key : rule.Value) ?? TrueTerm, frame, v =>
                    {
                        InsertPath(tree, keys, v, rule);
                        return false;
                    }));
        }));
        return rule.Kind == RuleKind.PartialSet ? new SetValue(set) : ToObject(tree);
    }

    /// <summary>
    /// The keys <paramref name="tail"/> takes wherever evaluation of the rule's body got far enough to bind them,
    /// whether or not the rest of the body then held: OPA's tester marks that point with internal.test_case
    /// (injectTestCaseFunc) and fails each case reached there that gives no true value.
    /// </summary>
    public List<Value[]> ReachedCases(Rule rule, Term[] tail)
    {
        var slots = new HashSet<int>();
        foreach (var t in tail)
        {
            CollectSlots(t, slots);
        }

        var exprs = rule.Body.Exprs;
        var prefix = 0;
        foreach (var slot in slots)
        {
            var first = exprs.FindIndex(e => e.Kind != ExprKind.Some && e.Terms.Any(t => t != null && Mentions(t, slot)));
            prefix = Math.Max(prefix, first + 1);
        }

        var reached = new List<Value[]>();
        var frame = new Value?[rule.SlotCount];
        Run(() => EvalBody(new Body { Exprs = exprs[..prefix] }, 0, frame, () =>
            slots.All(s => frame[s] != null) && EvalItems(tail, 0, new Value[tail.Length], frame, keys =>
            {
                reached.Add(keys);
                return false;
            })));
        return reached;
    }

    private static bool Mentions(Term t, int slot)
    {
        var slots = new HashSet<int>();
        CollectSlots(t, slots);
        return slots.Contains(slot);
    }

    /// <summary>The frame slots a term reads or binds, not counting those local to a comprehension inside it.</summary>
    private static void CollectSlots(Term t, HashSet<int> slots)
    {
        switch (t)
        {
            case VarTerm { Slot: >= 0 } v:
                slots.Add(v.Slot);
                break;
            case RefTerm r:
                CollectSlots(r.Head, slots);
                Array.ForEach(r.Path, p => CollectSlots(p, slots));
                break;
            case ArrayTerm a:
                Array.ForEach(a.Items, i => CollectSlots(i, slots));
                break;
            case SetTerm s:
                Array.ForEach(s.Items, i => CollectSlots(i, slots));
                break;
            case ObjectTerm o:
                Array.ForEach(o.Items, i =>
                {
                    CollectSlots(i.Key, slots);
                    CollectSlots(i.Value, slots);
                });
                break;
            case CallTerm c:
                Array.ForEach(c.Args, a => CollectSlots(a, slots));
                break;
        }
    }
}
