using BalticAI.Sovereignty.Rego.Syntax;
using BalticAI.Sovereignty.Rego.Values;

namespace BalticAI.Sovereignty.Rego.Evaluation;

/// <summary>Evaluation of a single definition of a complete rule, apart from the other definitions at its path.</summary>
internal sealed partial class Evaluator
{
    /// <summary>
    /// The value one definition of a complete rule gives on its own (its else chain included, no other body, and no
    /// default unless it is the default), undefined as null. `opa test` runs each definition of a test this way.
    /// </summary>
    public Value? DefinitionValue(Rule rule)
    {
        Value? result = null;
        Run(() =>
        {
            if (rule.IsDefault)
            {
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
}
