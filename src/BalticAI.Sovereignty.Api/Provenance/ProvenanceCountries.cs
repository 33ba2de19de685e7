using BalticAI.Sovereignty.Api.TrainingJobs;

namespace BalticAI.Sovereignty.Api.Provenance;

/// <summary>
/// The countries a record of a job lists when it is written (access decisions and their grants, run reports,
/// lineage violations, model versions and their flags): every country the job concerns (<see cref="TrainingJob.Countries"/>: site, operator,
/// the model's recipient), the country of the training system that reported it, as decisions and grants list the
/// caller's, and the countries of the data and base model involved. A regulator of any of them gets the record on
/// its feed and reads it. Records written before the recipient and the training system were listed are still read
/// by the training system's country through <see cref="JobReaders.Include"/>.
/// </summary>
public static class ProvenanceCountries
{
    /// <param name="job">The job whose run, model version or violation is recorded.</param>
    /// <param name="trainingSystemCountry">The country of the job's training system on the tenant map (the caller's, which reports for the job).</param>
    /// <param name="dataCountries">The countries of the dataset versions read and of the base model version, where known.</param>
    public static IReadOnlyList<string> Of(TrainingJob job, string trainingSystemCountry, IEnumerable<string> dataCountries)
    {
        var countries = new SortedSet<string>(job.Countries, StringComparer.Ordinal) { trainingSystemCountry };
        countries.UnionWith(dataCountries);
        return [.. countries];
    }
}
