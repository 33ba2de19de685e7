using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BalticAI.Sovereignty.Api.Infrastructure.Validation;

/// <summary>
/// Reads a JSON request body in the order a client can act on: wrong media type (415), unreadable
/// JSON or a member named twice in one object, unsafe text, a number no double holds (400), then schema
/// structure (400). Content checks (422) follow in the slice.
/// </summary>
public static class RequestBody
{
    public const string Json = "application/json";
    public const string MergePatch = "application/merge-patch+json";

    /// <summary>Deep enough for every request schema, shallow enough that nesting cannot exhaust the stack.</summary>
    private static readonly JsonDocumentOptions ParseOptions = new() { MaxDepth = 32 };

    /// <summary>The body, or the problem to answer; <paramref name="isSourceText"/> names source-text strings by JSON Pointer (see <see cref="TextSafety"/>).</summary>
    public static async Task<(JsonElement Body, ProblemHttpResult? Problem)> ReadAsync(HttpRequest request, string mediaType, CancellationToken ct,
        Func<string, bool>? isSourceText = null)
    {
        if (!HasMediaType(request, mediaType))
        {
            return (default, TypedResults.Problem(
                title: "Unsupported Media Type",
                detail: $"Send the body as {mediaType}.",
                statusCode: StatusCodes.Status415UnsupportedMediaType));
        }
        JsonElement body;
        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, ParseOptions, ct);
            body = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            return (default, FieldErrors.Of(JsonPath.ToPointer(e.Path), "is not well-formed JSON: " + e.Message)
                .ToProblem(StatusCodes.Status400BadRequest, "Malformed JSON"));
        }
        return Problem(body, "", isSourceText) is { } problem ? (default, problem) : (body, null);
    }

    /// <summary>
    /// What every JSON body is checked for once parsed, for JSON that came inside another body (a data file of an OPA
    /// bundle archive): errors are named by <paramref name="at"/> followed by the JSON Pointer within it.
    /// </summary>
    public static ProblemHttpResult? Problem(JsonElement body, string at, Func<string, bool>? isSourceText = null)
    {
        var twice = new FieldErrors();
        var text = new FieldErrors();
        var numbers = new FieldErrors();
        Inspect(body, at, twice, text, numbers, isSourceText);
        if (!twice.IsEmpty)
        {
            return twice.ToProblem(StatusCodes.Status400BadRequest, "Malformed JSON");
        }
        if (!text.IsEmpty)
        {
            return text.ToProblem(StatusCodes.Status400BadRequest, "Unsafe text in the request body");
        }
        return numbers.IsEmpty ? null : numbers.ToProblem(StatusCodes.Status400BadRequest, "A number in the request body is out of range");
    }

    /// <summary>
    /// One pass over the body for members named twice in one object, unsafe text (<see cref="TextSafety"/>)
    /// and numbers no double holds (<see cref="NumberRange"/>). A member named twice is refused because the
    /// schema checks one of its values and the typed reading takes the other: `{"bytes":1,"bytes":-1}`
    /// passed the schema and recorded -1. Below a property name that cannot be read, or a second one,
    /// nothing is looked at: that problem is answered first anyway.
    /// </summary>
    private static void Inspect(JsonElement element, string pointer, FieldErrors twice, FieldErrors text, FieldErrors numbers, Func<string, bool>? isSourceText)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                HashSet<string>? names = null;
                foreach (var property in element.EnumerateObject())
                {
                    var name = TextSafety.ReadName(property);
                    if (TextSafety.Problem(name) is { } nameProblem)
                    {
                        text.Add(pointer, "has a property name that " + nameProblem);
                        continue;
                    }
                    var child = FieldErrors.Child(pointer, name!);
                    if (!(names ??= new HashSet<string>(StringComparer.Ordinal)).Add(name!))
                    {
                        twice.Add(child, "is named more than once in its object");
                        continue;
                    }
                    Inspect(property.Value, child, twice, text, numbers, isSourceText);
                }
                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    Inspect(item, pointer + "/" + index++, twice, text, numbers, isSourceText);
                }
                break;
            case JsonValueKind.String when TextSafety.Problem(TextSafety.ReadString(element), isSourceText?.Invoke(pointer) ?? false) is { } problem:
                text.Add(pointer, problem);
                break;
            case JsonValueKind.Number when NumberRange.Problem(element) is { } problem:
                numbers.Add(pointer, problem);
                break;
        }
    }

    public static bool HasMediaType(HttpRequest request, string mediaType) =>
        Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(request.ContentType, out var parsed)
        && string.Equals(parsed.MediaType.Value, mediaType, StringComparison.OrdinalIgnoreCase)
        && (parsed.Charset.Value is null || string.Equals(parsed.Charset.Value, "utf-8", StringComparison.OrdinalIgnoreCase));
}

/// <summary>System.Text.Json reports `$.a.b[0]`; problem documents name fields by JSON Pointer.</summary>
public static class JsonPath
{
    public static string ToPointer(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return "";
        }
        var pointer = new System.Text.StringBuilder();
        foreach (var part in path.TrimStart('$').Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            var bracket = part.IndexOf('[', StringComparison.Ordinal);
            var name = bracket < 0 ? part : part[..bracket];
            if (name.Length > 0)
            {
                pointer.Append('/').Append(name);
            }
            if (bracket >= 0)
            {
                foreach (var index in part[bracket..].Split(['[', ']'], StringSplitOptions.RemoveEmptyEntries))
                {
                    pointer.Append('/').Append(index.Trim('\''));
                }
            }
        }
        return pointer.ToString();
    }
}
