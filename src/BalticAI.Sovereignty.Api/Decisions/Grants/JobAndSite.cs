using BalticAI.Sovereignty.Api.Sites;
using BalticAI.Sovereignty.Api.TrainingJobs;

namespace BalticAI.Sovereignty.Api.Decisions.Grants;

/// <summary>What of a grant's job and site ends its use, whatever the grant and its data say: the job closed, the site suspended.</summary>
public sealed record JobAndSite(JobClosure? JobClosure, SiteSuspension? SiteSuspension)
{
    public static readonly JobAndSite Open = new(null, null);

    public static JobAndSite Of(TrainingJob? job, ComputeSite? site) => new(job?.Closure, site?.Suspension);
}
