using System.Text.Json;
using BalticAI.Sovereignty.Api.Datasets.ReferenceData;
using BalticAI.Sovereignty.Api.Infrastructure.Validation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BalticAI.Sovereignty.Api.Datasets;

/// <summary>Request bodies of the dataset routes (the shared reader) with the reference data their content checks use.</summary>
public sealed class DatasetRequests(JsonRequests requests, DatasetReferenceData referenceData)
{
    public static JsonSerializerOptions Wire => JsonRequests.Wire;

    public DatasetReferenceData ReferenceData => referenceData;

    public Task<(T? Value, ProblemHttpResult? Problem)> ReadAsync<T>(HttpRequest request, string schema, CancellationToken ct)
        where T : class => requests.ReadAsync<T>(request, schema, ct);

    public (T? Value, FieldErrors Structure) Typed<T>(JsonElement body, string schema) where T : class => requests.Typed<T>(body, schema);
}
