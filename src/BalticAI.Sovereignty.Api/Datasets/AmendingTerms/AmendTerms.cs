using System.Text.Json;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Infrastructure.Validation;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BalticAI.Sovereignty.Api.Datasets.AmendingTerms;

/// <summary>
/// An owner amends terms with a JSON Merge Patch (RFC 7396). The merged terms must satisfy the same
/// schema and content rules as a registration; the event records the complete new terms and which
/// fields changed. A patch that changes nothing records nothing.
/// </summary>
public static class AmendTerms
{
    public static Decision Decide(Dataset dataset, DatasetTerms amended, IReadOnlyList<string> changedFields, DateTimeOffset now)
    {
        if (dataset.Status == DatasetStatus.Withdrawn)
        {
            return Decision.Conflict("The dataset is withdrawn; its terms can no longer change.");
        }
        if (changedFields.Count == 0)
        {
            return Decision.Of();
        }
        // A version's sources are part of the ledger's lineage: dropping one from the terms would free the version, and
        // what was trained on it, from that source's withdrawal.
        var dropped = dataset.Versions
            .SelectMany(v => v.DerivedFrom.Where(s => !amended.Lineage.DerivedFrom.Contains(s.DatasetId)).Select(s => $"version {v.Number} was made from dataset {s.DatasetId}"))
            .FirstOrDefault();
        if (dropped is not null)
        {
            return Decision.Invalid("/lineage/derivedFrom", dropped + ": a source that a published version names stays in lineage.derivedFrom");
        }
        var countries = dataset.Countries.Union(Dataset.ConcernedCountries(amended, dataset.OwnerCountry)).Order(StringComparer.Ordinal).ToList();
        return Decision.Of(new DatasetTermsAmended(dataset.Id, amended, changedFields, now, countries));
    }

    /// <summary>Merges the patch into the current terms and checks the result as a registration would be.</summary>
    public static Decision MergeAndDecide(Dataset dataset, JsonElement patch, DatasetRequests requests, IReadOnlySet<Guid> knownDatasets, DateTimeOffset now)
    {
        var before = JsonSerializer.SerializeToNode(dataset.Terms, DatasetRequests.Wire);
        var after = JsonMergePatch.Apply(before, JsonNode.Parse(patch.GetRawText()));
        var merged = JsonSerializer.SerializeToElement(after, DatasetRequests.Wire);
        var (terms, structure) = requests.Typed<DatasetTerms>(merged, "dataset-terms");
        if (!structure.IsEmpty)
        {
            return Decision.Malformed(structure);
        }
        // Links already recorded were checked when they were made; datasets are never deleted.
        var known = knownDatasets.Union(dataset.Terms.Lineage.DerivedFrom).ToHashSet();
        var content = TermsContentRules.Check(terms!, requests.ReferenceData, known, dataset.Id);
        if (!content.IsEmpty)
        {
            return Decision.Invalid(content);
        }
        // Compare in the normalised form, so that spelling out a default is not a change.
        var normalised = JsonSerializer.SerializeToNode(terms, DatasetRequests.Wire);
        return Decide(dataset, terms!, JsonMergePatch.ChangedPaths(before, normalised), now);
    }

    public static IEndpointRouteBuilder MapAmendTerms(this IEndpointRouteBuilder app)
    {
        app.MapPatch("/datasets/{id:guid}/terms", HandleAsync)
            .RequireAuthorization(policy => policy.RequireRole(Roles.DataOwner))
            .WithName("AmendDatasetTerms")
            .WithTags("Datasets")
            .WithSummary("Amend a dataset's terms with a JSON Merge Patch (application/merge-patch+json)")
            .WithDescription("RFC 7396: members merge, null removes. The result must satisfy schemas/dataset-terms.schema.json and the content rules. Requires If-Match.")
            .Accepts<JsonObject>(RequestBody.MergePatch)
            .Produces<DatasetResponse>()
            .ProducesWriteProblems();
        return app;
    }

    private static async Task<Results<Ok<DatasetResponse>, ProblemHttpResult>> HandleAsync(
        Guid id, HttpContext http, Caller caller, DatasetRequests requests, IDocumentSession session, TimeProvider clock)
    {
        var (patch, problem) = await RequestBody.ReadAsync(http.Request, RequestBody.MergePatch, http.RequestAborted);
        if (problem is not null)
        {
            return problem;
        }
        if (patch.ValueKind != JsonValueKind.Object)
        {
            return DatasetProblems.Structure(FieldErrors.Of("", "a merge patch of terms must be a JSON object"));
        }
        var known = await Lineage.KnownAsync(session, Lineage.NamedInPatch(patch), http.RequestAborted);
        return await DatasetWrite.RunAsync(http, id, caller, session,
            dataset => MergeAndDecide(dataset, patch, requests, known, clock.GetUtcNow()),
            (dataset, version) => TypedResults.Ok(DatasetResponse.From(dataset, version)));
    }
}
