using BalticAI.Sovereignty.Rego.Compilation;
using BalticAI.Sovereignty.Rego.Syntax;
using BalticAI.Sovereignty.Rego.Values;

namespace BalticAI.Sovereignty.Rego.Evaluation;

/// <summary>User function calls.</summary>
internal sealed partial class Evaluator
{
    private Func<bool>? functionBodyK;

    /// <summary>Calls a user function: every definition whose arguments match contributes; outputs must agree.</summary>
    private bool CallUser(string[] path, Value[] args, Location loc, Func<Value, bool> k) =>
        CallUserValue(path, args, loc) is { } v && k(v);

    private Value? CallUserValue(string[] path, Value[] args, Location loc)
    {
        var node = policy.Root.Find(path);
        return node is { IsFunction: true } ? EvalFunction(node, args, loc) : null;
    }

    /// <summary>
    /// A definition's value is collected like a complete rule's, through the shared collection state and its
    /// continuations, so a call allocates its frame but no closures.
    /// </summary>
    private Value? EvalFunction(RuleNode node, Value[] args, Location loc)
    {
        Enter(loc);
        var saved = (collectRule, collectFrame, collectResult, collectFound);
        completeK ??= CollectComplete;
        functionBodyK ??= EvalFunctionBody;
        collectResult = null;
        try
        {
            foreach (var rule in node.Rules)
            {
                for (var r = rule; r != null; r = r.Else)
                {
                    if (r.Args!.Length != args.Length)
                    {
                        continue;
                    }

                    collectRule = r;
                    collectFrame = RentFrame(r.SlotCount);
                    collectFound = false;
                    UnifyItems(r.Args, args, 0, collectFrame, functionBodyK);
                    ReturnFrame(collectFrame);
                    if (collectFound)
                    {
                        break;
                    }
                }
            }

            return collectResult ?? DefaultValue(node);
        }
        finally
        {
            (collectRule, collectFrame, collectResult, collectFound) = saved;
            Leave();
        }
    }

    private bool EvalFunctionBody() => EvalBody(collectRule!.Body, 0, collectFrame!, completeK!);
}
