using System.Text.Json;
using BalticAI.Sovereignty.Api.Datasets.ReferenceData;
using BalticAI.Sovereignty.Api.Infrastructure.Validation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BalticAI.Sovereignty.Api.Datasets;

/// <summary>Reads and checks request bodies for the dataset routes: media type, JSON, schema, then typed.</summary>
public sealed class DatasetRequests(JsonSchemaCatalog schemas, DatasetReferenceData referenceData)
{
    /// <summary>The API's wire form: camelCase, kebab-case enums (on the enum types), dates as yyyy-MM-dd.</summary>
    public static readonly JsonSerializerOptions Wire = new(JsonSerializerDefaults.Web);

    public DatasetReferenceData ReferenceData => referenceData;

    public async Task<(T? Value, ProblemHttpResult? Problem)> ReadAsync<T>(HttpRequest request, string schema, CancellationToken ct)
        where T : class
    {
        var (body, problem) = await RequestBody.ReadAsync(request, RequestBody.Json, ct);
        if (problem is not null)
        {
            return (null, problem);
        }
        var (value, structure) = Typed<T>(body, schema);
        return structure.IsEmpty ? (value, null) : (null, DatasetProblems.Structure(structure));
    }

    /// <summary>Schema first (naming each failing field), then the typed value.</summary>
    public (T? Value, FieldErrors Structure) Typed<T>(JsonElement body, string schema) where T : class
    {
        var structure = schemas.Validate(schema, body);
        if (!structure.IsEmpty)
        {
            return (null, structure);
        }
        try
        {
            return (body.Deserialize<T>(Wire) ?? throw new JsonException("null body"), structure);
        }
        catch (JsonException e)
        {
            return (null, FieldErrors.Of(JsonPath.ToPointer(e.Path), e.Message));
        }
    }
}
