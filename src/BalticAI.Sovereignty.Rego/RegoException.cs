namespace BalticAI.Sovereignty.Rego;

/// <summary>OPA's error kinds; <see cref="RegoError.Code"/> gives OPA's spelling (e.g. rego_parse_error).</summary>
public enum RegoErrorKind
{
    ParseError,
    CompileError,
    UnsafeVarError,
    TypeError,
    RecursionError,
    EvalConflictError,
    EvalTypeError,
    EvalBuiltinError,
    EvalCancelError,
    EvalLimitError,
}

/// <summary>One error with its OPA kind and source position (file, 1-based line and column; 0 when unknown).</summary>
public sealed record RegoError(RegoErrorKind Kind, string Message, string? File = null, int Line = 0, int Column = 0)
{
    public string Code => Kind switch
    {
        RegoErrorKind.ParseError => "rego_parse_error",
        RegoErrorKind.CompileError => "rego_compile_error",
        RegoErrorKind.UnsafeVarError => "rego_unsafe_var_error",
        RegoErrorKind.TypeError => "rego_type_error",
        RegoErrorKind.RecursionError => "rego_recursion_error",
        RegoErrorKind.EvalConflictError => "eval_conflict_error",
        RegoErrorKind.EvalTypeError => "eval_type_error",
        RegoErrorKind.EvalBuiltinError => "eval_builtin_error",
        RegoErrorKind.EvalCancelError => "eval_cancel_error",
        _ => "eval_limit_error",
    };

    public override string ToString() =>
        File is null || Line == 0 ? $"{Code}: {Message}" : $"{File}:{Line}: {Code}: {Message}";
}

/// <summary>Raised for parse, compile and evaluation errors; carries every error found.</summary>
public sealed class RegoException : Exception
{
    public RegoException(IReadOnlyList<RegoError> errors)
        : base(string.Join(Environment.NewLine, errors.Select(e => e.ToString())))
    {
        Errors = errors;
    }

    public RegoException(RegoErrorKind kind, string message, string? file = null, int line = 0, int column = 0)
        : this([new RegoError(kind, message, file, line, column)])
    {
    }

    public IReadOnlyList<RegoError> Errors { get; }

    public RegoError First => Errors[0];
}
