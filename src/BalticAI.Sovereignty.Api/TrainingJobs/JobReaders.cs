using BalticAI.Sovereignty.Api.Infrastructure.Identity;

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
}
