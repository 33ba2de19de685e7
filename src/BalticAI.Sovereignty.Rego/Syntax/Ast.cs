using BalticAI.Sovereignty.Rego.Values;

namespace BalticAI.Sovereignty.Rego.Syntax;

internal sealed record Location(string File, int Line, int Column);

/// <summary>A term of the language. Nodes are built by the parser, rewritten by the compiler, then only read.</summary>
internal abstract class Term
{
    public required Location Loc { get; init; }
}

internal sealed class ScalarTerm : Term
{
    public required Value Value { get; init; }
}

internal sealed class VarTerm : Term
{
    public required string Name { get; set; }

    /// <summary>Frame slot assigned by the compiler; -1 for the roots data and input.</summary>
    public int Slot { get; set; } = -1;

    public bool IsWildcard => Name.StartsWith('$');
}

internal sealed class RefTerm : Term
{
    public required Term Head { get; set; }

    public required Term[] Path { get; set; }

    /// <summary>
    /// For data references: where the constant prefix of the path lands in the rule tree and base data,
    /// computed on first use (the tree and base data never change after compilation).
    /// </summary>
    public DataPrefix? Prefix { get; set; }
}

internal sealed record DataPrefix(Compilation.RuleNode? Node, Values.Value? Base, int Consumed, bool Undefined);

internal sealed class ArrayTerm : Term
{
    public required Term[] Items { get; set; }
}

internal sealed class SetTerm : Term
{
    public required Term[] Items { get; set; }
}

internal sealed class ObjectTerm : Term
{
    public required (Term Key, Term Value)[] Items { get; set; }
}

/// <summary>A call; <see cref="Name"/> is a builtin name or, after compilation, a data path of a user function.</summary>
internal sealed class CallTerm : Term
{
    public required string Name { get; set; }

    public required Term[] Args { get; set; }

    /// <summary>Set by the compiler when the call targets user functions (path under data).</summary>
    public string[]? FunctionPath { get; set; }

    public int FunctionArity { get; set; }

    public Builtins.BuiltinFunction? Builtin { get; set; }
}

internal enum ComprehensionKind { Array, Set, Object }

internal sealed class ComprehensionTerm : Term
{
    public required ComprehensionKind Kind { get; init; }

    public required Term Head { get; set; }

    public Term? Value { get; set; }

    public required Body Body { get; set; }

    /// <summary>Frame slots owned by this closure and its nested closures: [LocalStart, LocalEnd).</summary>
    public int LocalStart { get; set; }

    public int LocalEnd { get; set; }
}

internal enum ExprKind { Term, Unify, Assign, Some, SomeIn, Every }

internal sealed class WithModifier
{
    public required Location Loc { get; init; }

    public required Term Target { get; set; }

    public required Term Value { get; set; }

    /// <summary>Set by the compiler: the with target is input (path after input) or data (path after data).</summary>
    public WithTargetKind TargetKind { get; set; }

    public string[] TargetPath { get; set; } = [];

    /// <summary>Set when the replacement is a function: a builtin name or a user function path (dotted, under data).</summary>
    public string? ReplacementFunction { get; set; }
}

internal enum WithTargetKind { Input, Data, Function }

internal sealed class Expr
{
    public required Location Loc { get; init; }

    public required ExprKind Kind { get; init; }

    public bool Negated { get; set; }

    /// <summary>Term: [t]; Unify/Assign: [lhs, rhs]; SomeIn/Every: [key or null, value, collection]; Some: declared vars.</summary>
    public required Term?[] Terms { get; set; }

    public Body? Body { get; set; }

    public List<WithModifier> With { get; } = [];

    /// <summary>For every: frame slots owned by its body, [LocalStart, LocalEnd).</summary>
    public int LocalStart { get; set; }

    public int LocalEnd { get; set; }

    /// <summary>Source text, used by the CLI to echo expressions.</summary>
    public string Text { get; set; } = string.Empty;
}

internal sealed class Body
{
    public required List<Expr> Exprs { get; set; }
}

internal enum RuleKind { Complete, PartialSet, PartialObject, Function }

internal sealed class Rule
{
    public required Location Loc { get; init; }

    public bool IsDefault { get; set; }

    /// <summary>Head reference relative to the package, e.g. [p] or [a, "b", x].</summary>
    public required Term[] HeadRef { get; set; }

    public Term[]? Args { get; set; }

    /// <summary>Element of a partial set rule (contains).</summary>
    public Term? Key { get; set; }

    public Term? Value { get; set; }

    public required Body Body { get; set; }

    public Rule? Else { get; set; }

    public RuleKind Kind { get; set; }

    /// <summary>A multi-value rule under a variable ref head (p[x] contains y): leaves are sets.</summary>
    public bool SetLeaf { get; set; }

    /// <summary>Number of frame slots the compiled rule needs.</summary>
    public int SlotCount { get; set; }

    /// <summary>Full path under data (package + constant head prefix), set by the compiler.</summary>
    public string[] Path { get; set; } = [];

    /// <summary>Head terms after the constant prefix: the keys of a partial object (or multi-level) rule.</summary>
    public Term[] KeyTerms { get; set; } = [];

    public Module Module { get; set; } = null!;
}

internal sealed class Import
{
    public required Location Loc { get; init; }

    public required Term Path { get; init; }

    public string? Alias { get; init; }
}

internal sealed class Module
{
    public required string File { get; init; }

    public required string[] Package { get; init; }

    /// <summary>Where the `package` keyword stands: a METADATA block right above it annotates the package.</summary>
    public required Location PackageLoc { get; init; }

    public required List<Import> Imports { get; init; }

    public required List<Rule> Rules { get; init; }

    /// <summary>The module's comments, for a compile that checks to read METADATA blocks from.</summary>
    public IReadOnlyList<Comment> Comments { get; init; } = [];

    /// <summary>The METADATA blocks, once a compile that checks has read them.</summary>
    public IReadOnlyList<Annotation> Annotations { get; set; } = [];
}
