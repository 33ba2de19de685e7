using BalticAI.Sovereignty.Rego.Syntax;
using BalticAI.Sovereignty.Rego.Values;

namespace BalticAI.Sovereignty.Rego.Compilation.Typing;

internal sealed partial class InputChecker
{
    /// <summary>Checks every reference in a term and gives its type. Every part is checked, even after one is any value.</summary>
    private RegoType TypeOf(Term term, Scope scope)
    {
        switch (term)
        {
            case ScalarTerm c:
                return RegoType.Of(c.Value);
            case VarTerm v:
                return v.Slot >= 0 ? scope.Types[v.Slot] ?? RegoType.Any : v.Name == "input" && !scope.InputAny ? scope.Declared.Input : RegoType.Any;
            case RefTerm r:
                return Reference(r, scope);
            case CallTerm c:
                return Call(c, scope);
            case ArrayTerm a:
                var items = a.Items.Select(i => TypeOf(i, scope)).ToList();
                return new ArrayType(items.Count == 0 ? RegoType.Any : RegoType.Union(items));
            case SetTerm s:
                var elements = s.Items.Select(i => TypeOf(i, scope)).ToList();
                return new SetType(elements.Count == 0 ? RegoType.Any : RegoType.Union(elements));
            case ObjectTerm o:
                var properties = new Dictionary<string, RegoType>(StringComparer.Ordinal);
                var dynamic = false;
                foreach (var (key, value) in o.Items)
                {
                    TypeOf(key, scope);
                    var type = TypeOf(value, scope);
                    if (key is ScalarTerm { Value: StringValue s } && !properties.ContainsKey(s.Value))
                    {
                        properties[s.Value] = type;
                    }
                    else
                    {
                        dynamic = true;
                    }
                }

                return new ObjectType(properties, dynamic ? RegoType.Any : null);
            case ComprehensionTerm ct:
                Body(ct.Body, scope);
                var head = TypeOf(ct.Head, scope);
                return ct.Kind switch
                {
                    ComprehensionKind.Array => new ArrayType(head),
                    ComprehensionKind.Set => new SetType(head),
                    _ => new ObjectType(new Dictionary<string, RegoType>(), TypeOf(ct.Value!, scope)),
                };
            default:
                return RegoType.Any;
        }
    }

    private RegoType Reference(RefTerm r, Scope scope)
    {
        var (type, start) = r.Head switch
        {
            VarTerm { Name: "data", Slot: < 0 } => DataPrefix(r, scope),
            _ => (TypeOf(r.Head, scope), 0),
        };

        for (var i = 0; i < r.Path.Length; i++)
        {
            TypeOf(r.Path[i], scope);
            if (i < start)
            {
                continue;
            }

            var key = Constant(r.Path[i], scope);
            var next = type.Lookup(key);
            if (next is null)
            {
                Report(scope, r.Loc, $"undefined ref: {RefText(r, i + 1)}{Hint(type, RefText(r, i), key)}");
                return RegoType.Any;
            }

            type = next;
        }

        return type;
    }

    /// <summary>
    /// Where a data reference enters a rule: the type of that rule's document and the index of the first path element
    /// after it. Base data documents, packages and non-constant paths are any value, and so is every rule under
    /// `with input` or `with data`: its value then comes from what the expression gives, not from the schema.
    /// </summary>
    private (RegoType Type, int Start) DataPrefix(RefTerm r, Scope scope)
    {
        if (!scope.DataAny && DeclaredData(r, scope) is { } declaredData)
        {
            return declaredData;
        }

        var node = compiler.Root;
        for (var i = 0; i < r.Path.Length; i++)
        {
            if (scope.DataAny || scope.InputAny || r.Path[i] is not ScalarTerm { Value: StringValue s } || !node.Children.TryGetValue(s.Value, out var child))
            {
                return (RegoType.Any, r.Path.Length);
            }

            node = child;
            if (node.HasRules)
            {
                return (RuleType(node), i + 1);
            }
        }

        return (RegoType.Any, r.Path.Length);
    }

    private RegoType Call(CallTerm c, Scope scope)
    {
        var args = c.Args.Select(a => TypeOf(a, scope)).ToList();
        if (c.Builtin is { } builtin && !scope.Replaced && BuiltinOperands.Of(builtin.Name) is { } operands)
        {
            for (var i = 0; i < operands.Length && i < args.Count; i++)
            {
                if (!BuiltinOperands.Admits(operands[i], args[i]))
                {
                    Report(scope, c.Loc, $"{builtin.Name}: invalid argument(s): operand {i + 1} must be {BuiltinOperands.Describe(operands[i])}, but {TermText(c.Args[i])} is {args[i].Describe()}");
                }
            }
        }

        switch (c.Builtin?.Name)
        {
            case "equal" or "neq" when c.Args.Length == 2:
                Compare(c.Builtin.Name == "equal" ? "==" : "!=", c.Args[0], args[0], c.Args[1], args[1], scope, c.Loc);
                break;
            case "internal.member_2" when c.Args.Length == 2:
                Member(c.Args[0], args[0], c.Args[1], args[1], scope, c.Loc);
                break;
            case "object.get" when c.Args.Length >= 3:
                return ObjectGet(c, args, scope);
        }

        if (c.FunctionPath is null && c.Builtin is { } called && !scope.Replaced && BuiltinResults.Of(called.Name) is { } result)
        {
            return result;
        }

        if (c.FunctionPath is null || scope.Depth >= MaxCallDepth || followed >= MaxFollowed || compiler.Root.Find(c.FunctionPath) is not { } node)
        {
            return RegoType.Any;
        }

        var constants = c.Args.Take(c.FunctionArity).Select(a => Constant(a, scope)).ToArray();
        if (constants.Any(v => v is null))
        {
            return RegoType.Any;
        }

        // Followed once per call with these constants. A function of several definitions may pick one by its
        // arguments, so the call is refused only when every definition finds something for them.
        var site = scope.Site ?? (c, $"{c.Name}({string.Join(", ", constants.Select(v => v!.ToString()))})");
        var values = new List<RegoType>();
        var found = new List<(string Where, RegoError Error)>();
        var clean = false;
        foreach (var rule in node.Rules)
        {
            for (var r = rule; r != null; r = r.Else)
            {
                var definition = new Scope(rule.SlotCount, scope.Report, Declare(rule))
                {
                    InputAny = scope.InputAny,
                    DataAny = scope.DataAny,
                    Replaced = scope.Replaced,
                    Site = site,
                    Found = [],
                    Depth = scope.Depth + 1,
                };
                for (var i = 0; i < rule.Args!.Length && i < constants.Length; i++)
                {
                    if (rule.Args[i] is VarTerm { Slot: >= 0 } v)
                    {
                        definition.Types[v.Slot] = RegoType.Of(constants[i]!);
                        definition.Constants[v.Slot] = constants[i];
                    }
                }

                followed++;
                values.Add(DefinitionValue(r, definition));
                clean |= definition.Found!.Count == 0;
                found.AddRange(definition.Found!);
            }
        }

        if (!clean)
        {
            (scope.Found ?? callErrors).AddRange(found);
        }

        return RegoType.Union(values);
    }

    /// <summary>
    /// `object.get(x, key, default)` with a constant key or path reads like x[key]: a key the input schema never gives x
    /// only ever gives the default.
    /// </summary>
    private RegoType ObjectGet(CallTerm c, List<RegoType> args, Scope scope)
    {
        var path = Constant(c.Args[1], scope) switch
        {
            ArrayValue a => a.Items,
            { } key => [key],
            null => null,
        };
        if (path is null)
        {
            return RegoType.Any;
        }

        var type = args[0];
        for (var i = 0; i < path.Length; i++)
        {
            var next = type.Lookup(path[i]);
            if (next is null)
            {
                // Only what the input schema leaves out: object.get on a literal that lacks the key is how Rego reads a default.
                if (!ObjectType.Described(type))
                {
                    return args[2];
                }

                var target = TermText(c.Args[0]) + string.Concat(path.Take(i).Select(PathText));
                Report(scope, c.Loc, $"object.get: {target}{PathText(path[i])} is never there, so the call always gives its default{Hint(type, target, path[i])}");
                // Any value from here, so that what reads the default is not reported again for the same typo.
                return RegoType.Any;
            }

            type = next;
        }

        return RegoType.Union([type, args[2]]);
    }

    /// <summary>A term's value when it is known before evaluation: a constant, or a variable holding one in this scope.</summary>
    private static Value? Constant(Term t, Scope scope) => t switch
    {
        ScalarTerm c => c.Value,
        VarTerm { Slot: >= 0 } v => scope.Constants[v.Slot],
        ArrayTerm a when a.Items.Select(i => Constant(i, scope)).ToList() is var items && items.All(i => i != null) => new ArrayValue([.. items.Select(i => i!)]),
        _ => null,
    };

    private void Report(Scope scope, Location loc, string message)
    {
        if (!scope.Report)
        {
            return;
        }

        var where = $"{loc.File}:{loc.Line}:{loc.Column}:{message}";
        if (scope.Site is not { } site)
        {
            if (reported.Add(where))
            {
                errors.Add(new RegoError(RegoErrorKind.TypeError, message, loc.File, loc.Line, loc.Column));
            }

            return;
        }

        var at = site.Call.Loc;
        scope.Found!.Add((where, new RegoError(RegoErrorKind.TypeError, $"{site.Text}: {message}", at.File, at.Line, at.Column)));
    }
}
