using BalticAI.Sovereignty.Api.Datasets;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Ledger.QueryingEvents;
using Marten;
using Marten.Linq.MatchesSql;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BalticAI.Sovereignty.Api.TrainingJobs;

/// <summary>
/// The one rule for which national regulator reads a record of a training job: the job itself, its grants, its runs
/// and model versions with their provenance. A regulator reads what its feed carried. Whoever else asks is answered
/// as if it did not exist.
/// </summary>
public static class JobReaders
{
    /// <summary>
    /// A record listing <paramref name="country"/> (<paramref name="listed"/>: the job's, the data's, ...), or one the
    /// job's training system made, which reached the feed of that organisation's country as the acting organisation's
    /// whether or not the record lists it (a job a Polish operator delegated to a Lithuanian training system).
    /// </summary>
    public static bool Include(string country, IEnumerable<string> listed, string? trainingSystem, TenantMap tenants) =>
        listed.Contains(country, StringComparer.Ordinal) || (trainingSystem is not null && tenants.IsOrganisationOf(trainingSystem, country));

    /// <summary>
    /// Whether a record of the job (a grant, a decision, the job as registered) concerns <paramref name="caller"/>: always
    /// for a role not limited to its own country, otherwise when <see cref="Include"/> admits the caller's country.
    /// </summary>
    public static bool Concerns(Caller caller, IEnumerable<string> listed, string? trainingSystem, TenantMap tenants) =>
        !DatasetReadAccess.IsLimitedToOwnCountry(caller) || Include(caller.Country, listed, trainingSystem, tenants);

    /// <summary>
    /// Whether <paramref name="caller"/> reads the job at all: every role but a national regulator does, and that one when
    /// the job's registration reached its feed (<see cref="Include"/>) or any later event of the job did
    /// (<see cref="JobEventsConcern"/>: a Lithuanian job asking for Polish data is Poland's business). Only the last takes
    /// a query, and only for a national regulator. Whoever may not read the job is answered <see cref="NotFound"/>, as
    /// for a job never registered.
    /// </summary>
    public static async Task<bool> CanReadAsync(Caller caller, TrainingJob job, TenantMap tenants, IQuerySession session, CancellationToken ct) =>
        Concerns(caller, job.Countries, job.TrainingSystem, tenants)
        || (await session.QueryAsync<bool>($"select {JobEventsConcern.Sql(Schema(session), "?")}", ct, job.Id, caller.Country)).Single();

    /// <summary>
    /// The jobs <see cref="CanReadAsync"/> admits, as a query, so that a list is filtered in SQL and its pages are full.
    /// </summary>
    public static IQueryable<TrainingJob> Readable(IQuerySession session, Caller caller, TenantMap tenants)
    {
        var jobs = session.Query<TrainingJob>();
        return DatasetReadAccess.IsLimitedToOwnCountry(caller) ? Concerning(jobs, caller.Country, tenants, session) : jobs;
    }

    /// <summary>
    /// The jobs that concern <paramref name="country"/> as a national regulator's reading does: its registration listed
    /// the country or was made by a training system of it, or a later event of the job listed it. The job's countries
    /// are computed, not stored, so their three members are compared instead.
    /// </summary>
    public static IQueryable<TrainingJob> Concerning(IQueryable<TrainingJob> jobs, string country, TenantMap tenants, IQuerySession session)
    {
        var organisations = tenants.OrganisationsIn(country).ToArray();
        var concerned = JobEventsConcern.Sql(Schema(session), "d.id");
        return jobs.Where(j => j.SiteCountry == country || j.OperatorCountry == country || (j.Recipient != null && j.Recipient.Country == country)
            || organisations.Contains(j.TrainingSystem) || j.MatchesSql(concerned, country));
    }

    public static ProblemHttpResult NotFound(Guid id) =>
        TypedResults.Problem(title: "No such training job", detail: $"No training job {id} is registered.", statusCode: StatusCodes.Status404NotFound);

    /// <summary>The documents' schema, which the ledger event index shares (TransparencyLogSetup).</summary>
    private static string Schema(IQuerySession session) => session.DocumentStore.Options.DatabaseSchemaName;
}
