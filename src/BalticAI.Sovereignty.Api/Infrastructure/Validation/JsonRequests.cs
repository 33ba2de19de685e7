using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BalticAI.Sovereignty.Api.Infrastructure.Validation;

/// <summary>
/// Reads a JSON body for any slice: media type (415), well-formed and safe JSON (400), the request's
/// schema in `schemas/` (400, naming each failing field), then the typed value.
/// </summary>
public sealed class JsonRequests(JsonSchemaCatalog schemas)
{
    /// <summary>The API's wire form: camelCase, kebab-case enums (on the enum types), dates as yyyy-MM-dd.</summary>
    public static readonly JsonSerializerOptions Wire = new(JsonSerializerDefaults.Web);

    public async Task<(T? Value, ProblemHttpResult? Problem)> ReadAsync<T>(HttpRequest request, string schema, CancellationToken ct)
        where T : class
    {
        var (body, problem) = await RequestBody.ReadAsync(request, RequestBody.Json, ct);
        if (problem is not null)
        {
            return (null, problem);
        }
        var (value, structure) = Typed<T>(body, schema);
        return structure.IsEmpty ? (value, null) : (null, Structure(structure));
    }

    /// <summary>
    /// For bodies without a schema in `schemas/`: media type, well-formed and safe JSON as every body, then the
    /// typed value (400 naming the field the type refuses). <paramref name="isSourceText"/> as for <see cref="RequestBody"/>.
    /// </summary>
    public static async Task<(T? Value, ProblemHttpResult? Problem)> ReadUnschemedAsync<T>(HttpRequest request, CancellationToken ct,
        Func<string, bool>? isSourceText = null) where T : class
    {
        var (body, problem) = await RequestBody.ReadAsync(request, RequestBody.Json, ct, isSourceText);
        if (problem is not null)
        {
            return (null, problem);
        }
        var (value, structure) = Deserialize<T>(body);
        return value is not null ? (value, null) : (null, structure.ToProblem(StatusCodes.Status400BadRequest, "The request is malformed"));
    }

    /// <summary>Schema first (naming each failing field), then the typed value.</summary>
    public (T? Value, FieldErrors Structure) Typed<T>(JsonElement body, string schema) where T : class
    {
        var structure = schemas.Validate(schema, body);
        return structure.IsEmpty ? Deserialize<T>(body) : (null, structure);
    }

    /// <summary>The typed value of a body read by <see cref="RequestBody"/>, or the field the type refuses.</summary>
    private static (T? Value, FieldErrors Structure) Deserialize<T>(JsonElement body) where T : class
    {
        try
        {
            return (body.Deserialize<T>(Wire) ?? throw new JsonException("null body"), new FieldErrors());
        }
        catch (JsonException e)
        {
            return (null, FieldErrors.Of(JsonPath.ToPointer(e.Path), e.Message));
        }
    }

    public static ProblemHttpResult Structure(FieldErrors errors) => errors.ToProblem(StatusCodes.Status400BadRequest, "The request does not match its schema");

    public static ProblemHttpResult Content(FieldErrors errors) => errors.ToProblem(StatusCodes.Status422UnprocessableEntity, "The request's content is not acceptable");
}
