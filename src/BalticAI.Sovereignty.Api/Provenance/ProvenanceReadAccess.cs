using BalticAI.Sovereignty.Api.Datasets;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BalticAI.Sovereignty.Api.Provenance;

/// <summary>
/// A regulator reads what concerns its country (the EU AI Office reads all); other roles read every
/// model version and run. What a regulator may not read answers as if it did not exist.
/// </summary>
public static class ProvenanceReadAccess
{
    public static bool CanRead(Caller caller, IEnumerable<string> countries) =>
        !DatasetReadAccess.IsLimitedToOwnCountry(caller) || countries.Contains(caller.Country, StringComparer.Ordinal);

    public static ProblemHttpResult ModelVersionNotFound(string modelId, string version) =>
        TypedResults.Problem(title: "Model version not found", detail: $"No {LineageNames.ModelRef(modelId, version)} that you may read.", statusCode: StatusCodes.Status404NotFound);
}
