using BalticAI.Sovereignty.Api.Sites.Demo;
using static BalticAI.Sovereignty.Api.TrainingJobs.RegisteringJob.RegisterJobEndpoint;

namespace BalticAI.Sovereignty.Api.TrainingJobs.Demo;

/// <summary>A demo job: the training system that registers it, the code of its site, and the body it would send (site id left empty).</summary>
public sealed record DemoJob(string TrainingSystem, string SiteCode, RegisterJob Job);

/// <summary>
/// The demo's training jobs, chosen so that the demo datasets show the default policies' outcomes at once: the
/// research-only PLLuM corpus is denied to the commercial job and allowed to the research job with a non-commercial
/// obligation; the Lithuanian critical state data are denied to the jobs in Krakow and allowed to the one in Vilnius.
/// </summary>
public static class DemoJobs
{
    private static readonly DateOnly Start = new(2027, 1, 4), End = new(2027, 6, 30);

    public static readonly IReadOnlyList<DemoJob> All =
    [
        new("pl-cyfronet", DemoSites.Krakow, new RegisterJob("pl-cyfronet", JobPurpose.Commercial, Commercial: true, GeneralPurposeModel: false, HighRiskSystem: false,
            Guid.Empty, new ModelReference("pllum-commercial-assistant", "1.0", "Apache-2.0"), new ModelReference("bielik-11b-v2", "2.0", "Apache-2.0"), null, Start, End)),
        new("pl-cyfronet", DemoSites.Krakow, new RegisterJob("pl-cyfronet", JobPurpose.Research, Commercial: false, GeneralPurposeModel: false, HighRiskSystem: false,
            Guid.Empty, new ModelReference("pllum-research", "0.1", "CC-BY-NC-4.0"), null, null, Start, End)),
        new("lt-rc", DemoSites.Vilnius, new RegisterJob("lt-rc", JobPurpose.PublicSectorService, Commercial: false, GeneralPurposeModel: false, HighRiskSystem: false,
            Guid.Empty, new ModelReference("lt-registry-assistant", "1.0", "CC-BY-NC-4.0"), null, null, Start, End)),
    ];
}
