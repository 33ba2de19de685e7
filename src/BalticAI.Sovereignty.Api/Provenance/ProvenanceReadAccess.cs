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
    /// <summary>For routes every role may call (a model version, its training-content summary).</summary>
    public static bool CanRead(Caller caller, IEnumerable<string> countries) =>
        !DatasetReadAccess.IsLimitedToOwnCountry(caller) || countries.Contains(caller.Country, StringComparer.Ordinal);

    /// <summary>
    /// For the routes only auditors and regulators may call (lineage, provenance, PROV): there a regulator's
    /// other roles grant nothing, so holding DataOwner or TrainingSystem beside Regulator must not lift its
    /// country limit. Only the Auditor role or the EU AI Office reads every country, as in `GET /ledger/events`.
    /// </summary>
    public static bool CanAudit(Caller caller, IEnumerable<string> countries) =>
        caller.IsInRole(Roles.Auditor) || caller.ReadsAllCountries || countries.Contains(caller.Country, StringComparer.Ordinal);

    /// <summary>
    /// <see cref="CanAudit(Caller, IEnumerable{string})"/> for a dataset: what concerned a country at any of its events, as
    /// its feed carried them, so a regulator keeps auditing a dataset it still reads after the storage moves away.
    /// </summary>
    public static bool CanAudit(Caller caller, DatasetView dataset) =>
        caller.IsInRole(Roles.Auditor) || caller.ReadsAllCountries || dataset.Concerned(caller.Country);

    public static ProblemHttpResult ModelVersionNotFound(string modelId, string version) =>
        TypedResults.Problem(title: "Model version not found", detail: $"No {LineageNames.ModelRef(modelId, version)} that you may read.", statusCode: StatusCodes.Status404NotFound);
}
