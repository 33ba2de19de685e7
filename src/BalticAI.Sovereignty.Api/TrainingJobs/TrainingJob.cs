using System.Text.Json.Serialization;
using BalticAI.Sovereignty.Api.Datasets;
using BalticAI.Sovereignty.Api.Ledger;

namespace BalticAI.Sovereignty.Api.TrainingJobs;

/// <summary>
/// Why a job trains; purpose limitation (GDPR Art. 5(1)(b)) compares it with the data's purposes. The last five are
/// the EHDS secondary-use purposes (Reg. 2025/327 Art. 53(1)) that health data may serve besides research and education.
/// </summary>
[JsonConverter(typeof(KebabCaseEnumConverter<JobPurpose>))]
public enum JobPurpose
{
    Research, Commercial, PublicSectorService, HealthResearch, BiasTesting, Education,
    PublicHealth, HealthPolicy, OfficialStatistics, HealthAiDevelopment, PersonalisedHealthcare,
}

/// <summary>A model (to be) produced or used as a base, named as its registry names it, with its licence.</summary>
public sealed record ModelReference(string Name, string? Version, string? Licence);

/// <summary>Where trained weights go when they leave the site (GDPR Chapter V for personal data).</summary>
public sealed record ModelRecipient(string Country, bool DpfCertified);

/// <summary>
/// A training system registered a job that will ask for data before it reads any byte. HighRiskSystem came
/// later: events recorded before it have no such member and load as false, the reading that keeps the
/// AI Act Art. 10(5) route closed.
/// </summary>
public sealed record TrainingJobRegistered(
    Guid JobId,
    string TrainingSystem,
    string Operator,
    string OperatorCountry,
    JobPurpose Purpose,
    bool Commercial,
    bool GeneralPurposeModel,
    bool HighRiskSystem,
    Guid SiteId,
    string SiteCountry,
    ModelReference Model,
    ModelReference? BaseModel,
    ModelRecipient? Recipient,
    DateOnly PlannedStart,
    DateOnly PlannedEnd,
    DateTimeOffset RegisteredAt) : ILedgerEvent
{
    /// <summary>Where it runs, who operates it, and where the trained weights go (the recipient keeps them).</summary>
    public IReadOnlyCollection<string> Countries => TrainingJob.CountriesOf(SiteCountry, OperatorCountry, Recipient);
}

/// <summary>A grant of this job was revoked (dataset withdrawn, restricted or its terms expired).</summary>
public sealed record JobGrantRevoked(Guid JobId, Guid GrantId, Guid DatasetId, string Reason, IReadOnlyList<string> Countries) : ILedgerEvent
{
    IReadOnlyCollection<string> ILedgerEvent.Countries => Countries;
}

/// <summary>How a job ended, as its training system (or a PolicyAdmin) closed it.</summary>
[JsonConverter(typeof(KebabCaseEnumConverter<JobOutcome>))]
public enum JobOutcome { Completed, Cancelled, Failed }

/// <summary>
/// The job was closed: it asks for no more data, its grants are revoked (`job-closed:&lt;outcome&gt;`) and releases under
/// them refused. Final; a run's last report (COMPLETE, FAIL, ABORT) and the models it produced are still taken.
/// </summary>
public sealed record TrainingJobClosed(Guid JobId, JobOutcome Outcome, DateTimeOffset ClosedAt, IReadOnlyList<string> Countries) : ILedgerEvent
{
    IReadOnlyCollection<string> ILedgerEvent.Countries => Countries;
}

/// <summary>When and how a closed job ended.</summary>
public sealed record JobClosure(JobOutcome Outcome, DateTimeOffset ClosedAt);

/// <summary>The job as recorded (inline snapshot of its stream).</summary>
public sealed record TrainingJob(
    Guid Id,
    string TrainingSystem,
    string Operator,
    string OperatorCountry,
    JobPurpose Purpose,
    bool Commercial,
    bool GeneralPurposeModel,
    bool HighRiskSystem,
    Guid SiteId,
    string SiteCountry,
    ModelReference Model,
    ModelReference? BaseModel,
    ModelRecipient? Recipient,
    DateOnly PlannedStart,
    DateOnly PlannedEnd,
    DateTimeOffset RegisteredAt,
    IReadOnlyList<Guid> RevokedGrants)
{
    /// <summary>Where it runs, who operates it, and where the trained weights go (the recipient keeps them).</summary>
    [JsonIgnore]
    public IReadOnlyCollection<string> Countries => CountriesOf(SiteCountry, OperatorCountry, Recipient);

    /// <summary>Null while the job is open.</summary>
    public JobClosure? Closure { get; init; }

    /// <summary>The version of the job's stream (Marten sets it): a release commits only while the job stays as it read it.</summary>
    public long Version { get; init; }

    public static IReadOnlyCollection<string> CountriesOf(string siteCountry, string operatorCountry, ModelRecipient? recipient) =>
        new[] { siteCountry, operatorCountry, recipient?.Country ?? "" }.Where(c => c.Length == 2).Distinct().ToList();

    public static TrainingJob Create(TrainingJobRegistered e) => new(
        e.JobId, e.TrainingSystem, e.Operator, e.OperatorCountry, e.Purpose, e.Commercial, e.GeneralPurposeModel, e.HighRiskSystem,
        e.SiteId, e.SiteCountry, e.Model, e.BaseModel, e.Recipient, e.PlannedStart, e.PlannedEnd, e.RegisteredAt, []);

    public TrainingJob Apply(JobGrantRevoked e) => this with { RevokedGrants = [.. RevokedGrants, e.GrantId] };

    public TrainingJob Apply(TrainingJobClosed e) => this with { Closure = new JobClosure(e.Outcome, e.ClosedAt) };
}
