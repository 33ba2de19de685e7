using BalticAI.Sovereignty.Rego.Syntax;
using BalticAI.Sovereignty.Rego.Values;

namespace BalticAI.Sovereignty.Rego.Compilation.Typing;

internal sealed partial class InputChecker
{
    /// <summary>
    /// `==`, `!=`, `=` and `in` between values no input can make equal: `input.dataset.origin.sourceType == "crawl"`
    /// when the schema lists "crawled" never holds, so the deny rule resting on it never denies, and `!=` always holds.
    /// </summary>
    private void Compare(string op, Term left, RegoType leftType, Term right, RegoType rightType, Scope scope, Location loc)
    {
        var (known, knownType) = left is ScalarTerm ? (right, rightType) : (left, leftType);
        var disjoint = (left, right) switch
        {
            (ScalarTerm c, _) => Never(rightType, c.Value),
            (_, ScalarTerm c) => Never(leftType, c.Value),
            _ => (BuiltinOperands.KindsOf(leftType) & BuiltinOperands.KindsOf(rightType)) == 0,
        };
        if (disjoint)
        {
            var verdict = op == "!=" ? "always holds" : "never holds";
            Report(scope, loc, $"{TermText(left)} {op} {TermText(right)} {verdict}: {TermText(known)} is {knownType.Describe()}");
        }
    }

    /// <summary>`x in collection`: never holds when no element the collection can hold equals x.</summary>
    private void Member(Term element, RegoType elementType, Term collection, RegoType collectionType, Scope scope, Location loc)
    {
        if (collectionType is AnyType or ScalarType or EnumType)
        {
            return;
        }

        var elements = collectionType.Elements;
        var disjoint = element is ScalarTerm c ? Never(elements, c.Value) : (BuiltinOperands.KindsOf(elementType) & BuiltinOperands.KindsOf(elements)) == 0;
        if (disjoint)
        {
            Report(scope, loc, $"{TermText(element)} in {TermText(collection)} never holds: each element of {TermText(collection)} is {elements.Describe()}");
        }
    }

    /// <summary>Whether no value of the type equals the constant.</summary>
    private static bool Never(RegoType type, Value constant) => type switch
    {
        AnyType => false,
        UnionType u => u.Members.All(m => Never(m, constant)),
        EnumType e => !e.Values.Contains(constant),
        ScalarType s => constant.TypeName != s.Name,
        ArrayType => constant is not ArrayValue,
        SetType => constant is not SetValue,
        ObjectType => constant is not ObjectValue,
        _ => false,
    };
}
