using BalticAI.Sovereignty.Api.Datasets;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
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
    /// Whether <paramref name="caller"/> reads the job at all: every role but a national regulator does, and that one by
    /// <see cref="Include"/>. Whoever may not is answered <see cref="NotFound"/>, as for a job never registered.
    /// </summary>
    public static bool CanRead(Caller caller, TrainingJob job, TenantMap tenants) =>
        !DatasetReadAccess.IsLimitedToOwnCountry(caller) || Include(caller.Country, job.Countries, job.TrainingSystem, tenants);

    /// <summary>
    /// <see cref="CanRead"/> as a query, so that a list is filtered in SQL and its pages are full. The job's countries
    /// are computed, not stored, so their three members are compared instead.
    /// </summary>
    public static IQueryable<TrainingJob> Readable(IQueryable<TrainingJob> jobs, Caller caller, TenantMap tenants)
    {
        if (!DatasetReadAccess.IsLimitedToOwnCountry(caller))
        {
            return jobs;
        }
        var country = caller.Country;
        var organisations = tenants.OrganisationsIn(country).ToArray();
        return jobs.Where(j => j.SiteCountry == country || j.OperatorCountry == country || (j.Recipient != null && j.Recipient.Country == country)
            || organisations.Contains(j.TrainingSystem));
    }

    public static ProblemHttpResult NotFound(Guid id) =>
        TypedResults.Problem(title: "No such training job", detail: $"No training job {id} is registered.", statusCode: StatusCodes.Status404NotFound);
}
