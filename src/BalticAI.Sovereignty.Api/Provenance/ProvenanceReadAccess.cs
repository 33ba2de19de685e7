using BalticAI.Sovereignty.Api.Datasets;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Provenance.ModelVersions;
using BalticAI.Sovereignty.Api.TrainingJobs;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BalticAI.Sovereignty.Api.Provenance;

/// <summary>
/// A regulator reads the provenance records its feed carried (the EU AI Office reads all); other roles read every
/// model version and run. What a regulator may not read answers as if it did not exist.
/// </summary>
public static class ProvenanceReadAccess
{
    /// <summary>For routes every role may call (a model version, its training-content summary).</summary>
    public static Task<bool> CanReadAsync(Caller caller, ModelVersionView model, TenantMap tenants, IQuerySession session, CancellationToken ct) =>
        CanReadAsync(caller, model.Countries, model.TrainingSystem, model.JobId, tenants, session, ct);

    /// <summary>The same for a model version whose listed countries, training system and job were selected without the rest of it.</summary>
    public static async Task<bool> CanReadAsync(Caller caller, IReadOnlyList<string> countries, string trainingSystem, Guid jobId, TenantMap tenants, IQuerySession session, CancellationToken ct) =>
        !DatasetReadAccess.IsLimitedToOwnCountry(caller) || await ConcernsAsync(caller.Country, countries, trainingSystem, jobId, tenants, session, ct);

    /// <summary>
    /// For the routes only auditors and regulators may call (lineage, provenance, PROV): there a regulator's
    /// other roles grant nothing, so holding DataOwner or TrainingSystem beside Regulator must not lift its
    /// country limit. Only the Auditor role or the EU AI Office reads every country, as in `GET /ledger/events`.
    /// </summary>
    public static bool CanAudit(Caller caller, IEnumerable<string> countries, string? trainingSystem, TenantMap tenants) =>
        ReadsEveryCountry(caller) || JobReaders.Include(caller.Country, countries, trainingSystem, tenants);

    /// <summary>A record of <paramref name="job"/>'s runs (a lineage edge), the job's model recipient counted as listed (<see cref="WithRecipient"/>).</summary>
    public static bool CanAudit(Caller caller, IEnumerable<string> countries, TrainingJob? job, TenantMap tenants) =>
        CanAudit(caller, WithRecipient(countries, job), job?.TrainingSystem, tenants);

    public static async Task<bool> CanAuditAsync(Caller caller, ModelVersionView model, TenantMap tenants, IQuerySession session, CancellationToken ct) =>
        ReadsEveryCountry(caller) || await ConcernsAsync(caller.Country, model.Countries, model.TrainingSystem, model.JobId, tenants, session, ct);

    /// <summary>
    /// The countries a record of <paramref name="job"/>'s runs lists, and the job's model recipient's: run reports and
    /// model versions recorded before the recipient was listed (<see cref="ProvenanceCountries"/>) leave it out, and
    /// their read models keep no recipient, yet the country the weights went to concerns them as much as newer ones.
    /// The job always names its recipient. The ledger is not rewritten: its events are signed.
    /// </summary>
    private static IEnumerable<string> WithRecipient(IEnumerable<string> countries, TrainingJob? job) =>
        job?.Recipient is { } recipient ? countries.Append(recipient.Country) : countries;

    /// <summary>The job is looked up only when the model version's own record does not already answer.</summary>
    private static async Task<bool> ConcernsAsync(string country, IReadOnlyList<string> countries, string trainingSystem, Guid jobId, TenantMap tenants, IQuerySession session, CancellationToken ct)
    {
        if (JobReaders.Include(country, countries, trainingSystem, tenants))
        {
            return true;
        }
        var job = await session.LoadAsync<TrainingJob>(jobId, ct);
        return JobReaders.Include(country, WithRecipient(countries, job), trainingSystem, tenants);
    }

    /// <summary>
    /// <see cref="CanAudit(Caller, IEnumerable{string}, string?, TenantMap)"/> for a dataset: what concerned a country at any of its events, as
    /// its feed carried them, so a regulator keeps auditing a dataset it still reads after the storage moves away.
    /// </summary>
    public static bool CanAudit(Caller caller, DatasetView dataset) =>
        ReadsEveryCountry(caller) || dataset.Concerned(caller.Country);

    /// <summary>An auditor or the EU AI Office: no lineage edge needs its job looked up for them.</summary>
    public static bool ReadsEveryCountry(Caller caller) => caller.IsInRole(Roles.Auditor) || caller.ReadsAllCountries;

    public static ProblemHttpResult ModelVersionNotFound(string modelId, string version) =>
        TypedResults.Problem(title: "Model version not found", detail: $"No {LineageNames.ModelRef(modelId, version)} that you may read.", statusCode: StatusCodes.Status404NotFound);
}
