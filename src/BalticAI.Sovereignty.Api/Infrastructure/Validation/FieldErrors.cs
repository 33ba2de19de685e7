namespace BalticAI.Sovereignty.Api.Infrastructure.Validation;

/// <summary>
/// Failing fields of a request, keyed by JSON Pointer into the request body ("" is the body itself),
/// leaving as the `errors` extension of a problem document so a client can point at each field.
/// </summary>
public sealed class FieldErrors
{
    private readonly SortedDictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool IsEmpty => _errors.Count == 0;

    public IReadOnlyDictionary<string, List<string>> Entries => _errors;

    public FieldErrors Add(string pointer, string message)
    {
        if (!_errors.TryGetValue(pointer, out var messages))
        {
            _errors[pointer] = messages = [];
        }
        if (!messages.Contains(message))
        {
            messages.Add(message);
        }
        return this;
    }

    public static FieldErrors Of(string pointer, string message) => new FieldErrors().Add(pointer, message);

    /// <summary>400 for structure (the schema failed), 422 for content (the values are not acceptable).</summary>
    public Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult ToProblem(int status, string title) =>
        TypedResults.Problem(
            title: title,
            detail: "See `errors` for each failing field (JSON Pointer into the request body). Nothing was recorded.",
            statusCode: status,
            extensions: new Dictionary<string, object?> { ["errors"] = _errors });

    /// <summary>
    /// A 400 for a query string: <c>errors</c> is keyed by parameter name, not by a pointer into a body, and every list,
    /// and any value the framework could not bind, answers in this one shape.
    /// </summary>
    public Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult ToQueryProblem() =>
        TypedResults.Problem(
            title: "Invalid query",
            detail: "See `errors` for each query parameter that is not what this route expects; nothing was read.",
            statusCode: StatusCodes.Status400BadRequest,
            extensions: new Dictionary<string, object?> { ["errors"] = _errors });

    /// <summary>JSON Pointer of a property under a parent pointer, escaped per RFC 6901.</summary>
    public static string Child(string parent, string property) =>
        parent + "/" + property.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);
}
