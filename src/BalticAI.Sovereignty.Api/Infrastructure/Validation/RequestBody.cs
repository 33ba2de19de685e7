using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BalticAI.Sovereignty.Api.Infrastructure.Validation;

/// <summary>
/// Reads a JSON request body in the order a client can act on: wrong media type (415), unreadable
/// JSON, unsafe text or a number no double holds (400), then schema structure (400). Content checks (422)
/// follow in the slice.
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
                title: "Unsupported media type",
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
        var text = new FieldErrors();
        TextSafety.Check(body, "", text, isSourceText);
        if (!text.IsEmpty)
        {
            return (default, text.ToProblem(StatusCodes.Status400BadRequest, "Unsafe text in the request body"));
        }
        var numbers = new FieldErrors();
        NumberRange.Check(body, "", numbers);
        return numbers.IsEmpty ? (body, null) : (default, numbers.ToProblem(StatusCodes.Status400BadRequest, "A number in the request body is out of range"));
    }

    private static bool HasMediaType(HttpRequest request, string mediaType) =>
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
