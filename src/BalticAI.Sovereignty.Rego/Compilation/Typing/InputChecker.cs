using BalticAI.Sovereignty.Rego.Syntax;
using BalticAI.Sovereignty.Rego.Values;

namespace BalticAI.Sovereignty.Rego.Compilation.Typing;

/// <summary>
/// Refuses references that no input of the given schema can have, as `opa check --schema` does: a rule that reads
/// `input.dataset.licencing` when the schema says `licensing` is never true, so a deny rule with that typo would
/// never deny. Types flow from input through local variables, rules whose values come from input, and the constant
/// arguments of user functions; `object.get` with a constant key is checked as a reference too, and the operands of
/// common builtins against their kinds (<see cref="BuiltinOperands"/>). Whatever the checker
/// cannot follow is any value, so it widens rather than refuses. An expression under `with input` or `with data`
/// is not checked against the schema: its input is the one it gives. A rule's METADATA `schemas` type its input and
/// data documents over the given schema, as OPA's checker applies them (<see cref="AnnotationSet.Schemas"/>).
/// </summary>
internal sealed partial class InputChecker(Compiler compiler, RegoType input, AnnotationSet annotations, RegoSchemaSet schemas)
{
    /// <summary>Nested function calls with constant arguments followed before giving up (recursion, deep helpers).</summary>
    private const int MaxCallDepth = 16;

    /// <summary>
    /// Function bodies followed in all, so that helpers calling helpers with constants, several times at each level,
    /// cannot hold activation for ever; past it a call is any value.
    /// </summary>
    private const int MaxFollowed = 20_000;

    private int followed;

    private readonly List<RegoError> errors = [];
    private readonly HashSet<string> reported = new(StringComparer.Ordinal);

    /// <summary>Found in a function followed for one call, with where it lies in the function: kept only when the function alone has no such error.</summary>
    private readonly List<(string Where, RegoError Error)> callErrors = [];
    private readonly Dictionary<RuleNode, RegoType> ruleTypes = [];
    private readonly Dictionary<Rule, Declared> declared = [];

    /// <summary>What a rule's METADATA declares: its input's type, and data documents' types, the later over the earlier.</summary>
    private sealed record Declared(RegoType Input, IReadOnlyList<(string[] Path, RegoType Type)> Data);
    private readonly HashSet<RuleNode> inferring = [];

    /// <summary>Where the variables of one body stand, and how errors found in it are reported.</summary>
    private sealed class Scope(int slots, bool report, Declared declared)
    {
        public RegoType?[] Types { get; } = new RegoType?[slots];

        public Declared Declared { get; } = declared;

        public Value?[] Constants { get; } = new Value?[slots];

        public bool Report { get; } = report;

        public bool InputAny { get; set; }

        public bool DataAny { get; set; }

        /// <summary>A builtin or function is replaced (`with f as ...`): a call may not reach the builtin it names.</summary>
        public bool Replaced { get; set; }

        /// <summary>For a function body followed for one call's constant arguments: that call, where its errors are reported.</summary>
        public (CallTerm Call, string Text)? Site { get; init; }

        /// <summary>For such a body: what it found, reported only if every definition of the function finds something.</summary>
        public List<(string Where, RegoError Error)>? Found { get; init; }

        public int Depth { get; init; }
    }

    public IReadOnlyList<RegoError> Check()
    {
        foreach (var module in compiler.Modules)
        {
            foreach (var rule in module.Rules)
            {
                RuleValue(rule, report: true);
            }
        }

        foreach (var (where, error) in callErrors)
        {
            if (!reported.Contains(where) && reported.Add($"{error}"))
            {
                errors.Add(error);
            }
        }

        return [.. errors.OrderBy(e => e.File, StringComparer.Ordinal).ThenBy(e => e.Line).ThenBy(e => e.Column)];
    }

    /// <summary>Checks a rule and its else chain, each body in a scope of its own; gives the union of their values.</summary>
    private RegoType RuleValue(Rule rule, bool report)
    {
        var values = new List<RegoType>();
        for (var r = rule; r != null; r = r.Else)
        {
            values.Add(DefinitionValue(r, new Scope(rule.SlotCount, report, Declare(rule))));
        }

        return RegoType.Union(values);
    }

    /// <summary>Checks one definition (a rule or one of its else branches) in the scope given; gives its value's type.</summary>
    private RegoType DefinitionValue(Rule r, Scope scope)
    {
        Body(r.Body, scope);
        foreach (var key in r.KeyTerms)
        {
            TypeOf(key, scope);
        }

        if (r.Key != null)
        {
            TypeOf(r.Key, scope);
        }

        return r.Value == null ? RegoType.Any : TypeOf(r.Value, scope);
    }

    /// <summary>The type of the document a rule node defines, for references through it into what its value holds.</summary>
    private RegoType RuleType(RuleNode node)
    {
        if (ruleTypes.TryGetValue(node, out var known))
        {
            return known;
        }

        if (node.Kind != RuleKind.Complete || !inferring.Add(node))
        {
            return node.Kind switch
            {
                RuleKind.PartialSet => new SetType(RegoType.Any),
                RuleKind.PartialObject => new ObjectType(new Dictionary<string, RegoType>(), RegoType.Any),
                _ => RegoType.Any,
            };
        }

        var type = RegoType.Union([.. node.Rules.Concat(node.Default is null ? [] : [node.Default]).Select(r => RuleValue(r, report: false))]);
        inferring.Remove(node);
        ruleTypes[node] = type;
        return type;
    }

    private void Body(Body body, Scope scope)
    {
        foreach (var e in body.Exprs)
        {
            var (inputAny, dataAny, replaced) = (scope.InputAny, scope.DataAny, scope.Replaced);
            foreach (var w in e.With)
            {
                TypeOf(w.Value, scope);
                scope.InputAny |= w.TargetKind == WithTargetKind.Input;
                scope.DataAny |= w.TargetKind == WithTargetKind.Data;
                scope.Replaced |= w.TargetKind == WithTargetKind.Function;
            }

            Expr(e, scope);
            (scope.InputAny, scope.DataAny, scope.Replaced) = (inputAny, dataAny, replaced);
        }
    }

    private void Expr(Expr e, Scope scope)
    {
        switch (e.Kind)
        {
            case ExprKind.Term:
                TypeOf(e.Terms[0]!, scope);
                break;
            case ExprKind.Unify or ExprKind.Assign:
                var left = TypeOf(e.Terms[0]!, scope);
                var right = TypeOf(e.Terms[1]!, scope);
                if (e.Kind == ExprKind.Unify && e.Terms[0] is not (VarTerm or ArrayTerm or ObjectTerm) && e.Terms[1] is not (VarTerm or ArrayTerm or ObjectTerm))
                {
                    Compare("=", e.Terms[0]!, left, e.Terms[1]!, right, scope, e.Loc);
                }

                Bind(e.Terms[0]!, right, scope);
                Bind(e.Terms[1]!, left, scope);
                foreach (var (target, value) in (ReadOnlySpan<(Term, Term)>)[(e.Terms[0]!, e.Terms[1]!), (e.Terms[1]!, e.Terms[0]!)])
                {
                    if (target is VarTerm { Slot: >= 0 } v && value is ScalarTerm c && !e.Negated)
                    {
                        scope.Constants[v.Slot] = c.Value;
                    }
                }

                break;
            case ExprKind.SomeIn or ExprKind.Every:
                var collection = TypeOf(e.Terms[2]!, scope);
                var element = e.Terms[0] is ScalarTerm key ? collection.Lookup(key.Value) ?? RegoType.Any : collection.Elements;
                if (e.Terms[0] is { } k)
                {
                    TypeOf(k, scope);
                }

                TypeOf(e.Terms[1]!, scope);
                Bind(e.Terms[1]!, element, scope);
                if (e.Body != null)
                {
                    Body(e.Body, scope);
                }

                break;
        }
    }

    /// <summary>
    /// Gives a variable (or the variables of an array pattern) the type of what it is unified with. Two different
    /// types for one variable make it any value: unification means both hold, and the checker does not intersect.
    /// </summary>
    private static void Bind(Term target, RegoType type, Scope scope)
    {
        switch (target)
        {
            case VarTerm { Slot: >= 0 } v when type is not AnyType:
                scope.Types[v.Slot] = scope.Types[v.Slot] is { } had && !had.Equals(type) ? RegoType.Any : type;
                break;
            case ArrayTerm pattern:
                foreach (var item in pattern.Items)
                {
                    Bind(item, type is ArrayType a ? a.Items : RegoType.Any, scope);
                }

                break;
        }
    }
}
