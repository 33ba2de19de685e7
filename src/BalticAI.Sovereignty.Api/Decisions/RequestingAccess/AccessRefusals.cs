using BalticAI.Sovereignty.Api.Datasets;
using BalticAI.Sovereignty.Api.Decisions.Grants.Revoking;
using BalticAI.Sovereignty.Api.Decisions.PolicyInput;
using BalticAI.Sovereignty.Api.Infrastructure.Problems;
using BalticAI.Sovereignty.Api.Infrastructure.Validation;
using BalticAI.Sovereignty.Api.Sites;
using BalticAI.Sovereignty.Api.Sites.Suspending;
using BalticAI.Sovereignty.Api.TrainingJobs;
using BalticAI.Sovereignty.Api.TrainingJobs.ClosingJob;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BalticAI.Sovereignty.Api.Decisions.RequestingAccess;

/// <summary>One dataset version of a well-formed request (<paramref name="Index"/> in its <c>datasets</c>), with its withdrawal if it has one.</summary>
public sealed record AskedVersion(int Index, DecisionFacts Fact, Withdrawal? Withdrawal);

/// <summary>How one refused dataset version is named in the answer.</summary>
public sealed record RefusalResponse(Guid RefusalId, Guid DatasetId, int Version, string Reason);

/// <summary>
/// The problem (RFC 9457) a refused request answers, as the OpenAPI document describes its 409 and 422: `refusals` names
/// each version refused and recorded (absent when nothing was refused, e.g. a 422 for unknown data), `errors` each field
/// that failed (JSON Pointer into the request).
/// </summary>
public sealed record AccessRefusalProblem(
    string Type, string Title, int Status, string Detail, string Instance, IReadOnlyList<RefusalResponse>? Refusals,
    IReadOnlyDictionary<string, IReadOnlyList<string>>? Errors);

/// <summary>A request stopped before the policy: the answer and the refusals it records.</summary>
public sealed record RefusedRequest(Refusal Answer, IReadOnlyList<AccessRefused> Refused, FieldErrors? Errors)
{
    public ProblemHttpResult ToProblem()
    {
        var extensions = new Dictionary<string, object?>
        {
            ["refusals"] = Refused.Select(r => new RefusalResponse(r.RefusalId, r.DatasetId, r.Version, r.Reason)).ToList(),
        };
        if (Errors is not null)
        {
            extensions["errors"] = Errors.Entries;
        }
        return Answer.ToProblem(extensions);
    }
}

/// <summary>
/// What stops a well-formed access request before any policy is consulted. A closed job, a suspended site or a
/// withdrawn version is not bad input but data asked for after it had to stop, so each refused version is recorded
/// (<see cref="AccessRefused"/>, reasons as the revocations the same changes cause) and reaches the feeds of the
/// countries its decision would have concerned; a request that is also malformed or names unknown data records nothing.
/// </summary>
public static class AccessRefusals
{
    /// <summary>
    /// Pure: the job's closure, then its site's suspension, refuse every asked version; otherwise the withdrawn versions
    /// are refused and the request with them (422: nothing else in it is decided). Null when the policy decides.
    /// </summary>
    public static RefusedRequest? Of(TrainingJob job, ComputeSite? site, IReadOnlyList<AskedVersion> asked)
    {
        const string Recorded = "The refusal of each asked version is recorded in the ledger (`refusals`).";
        if (job.Closure is { } closure)
        {
            return new RefusedRequest(new Refusal(StatusCodes.Status409Conflict, "The job is closed",
                $"Job {job.Id} was closed ({CloseJobEndpoint.Outcome(closure.Outcome)}) at {closure.ClosedAt:O} and asks for no more data. {Recorded}"),
                Refuse(asked, _ => GrantRevoker.ReasonToRevokeOnClosure(closure.Outcome)), null);
        }
        if (site?.Suspension is { } suspension)
        {
            return new RefusedRequest(new Refusal(StatusCodes.Status409Conflict, "The job's site is suspended",
                $"Site {job.SiteId}, where job {job.Id} runs, is suspended ({SuspendSiteEndpoint.Token(suspension.Reason)}) since {suspension.Since:O}; no data goes there until the suspension is lifted. {Recorded}"),
                Refuse(asked, _ => GrantRevoker.ReasonToRevokeOnSuspension(suspension.Reason)), null);
        }
        var withdrawn = asked.Where(a => a.Withdrawal is not null).ToList();
        if (withdrawn.Count == 0)
        {
            return null;
        }
        var errors = new FieldErrors();
        AddWithdrawn(errors, withdrawn);
        return new RefusedRequest(new Refusal(StatusCodes.Status422UnprocessableEntity, "The request's content is not acceptable",
            "See `errors` for each withdrawn version; nothing else in the request was decided. The refusal of each withdrawn version is recorded in the ledger (`refusals`)."),
            Refuse(withdrawn, a => GrantRevoker.VersionWithdrawn(a.Withdrawal!.Reason)), errors);
    }

    /// <summary>Names each withdrawn version among the errors of a request refused as bad input.</summary>
    public static void AddWithdrawn(FieldErrors errors, IEnumerable<AskedVersion> asked)
    {
        foreach (var (index, fact, withdrawal) in asked)
        {
            if (withdrawal is not null)
            {
                errors.Add($"/datasets/{index}/version",
                    $"version {fact.Version.Number} of dataset {fact.Dataset.Id} was withdrawn ({DatasetView.Token(withdrawal.Reason)}) at {withdrawal.At:O}");
            }
        }
    }

    private static List<AccessRefused> Refuse(IEnumerable<AskedVersion> asked, Func<AskedVersion, string> reason) =>
        asked.Select(a => new AccessRefused(Guid.CreateVersion7(a.Fact.Time), a.Fact.Job.Id, a.Fact.Dataset.Id, a.Fact.Version.Number,
            a.Fact.Job.TrainingSystem, a.Fact.Site.Id, reason(a), a.Fact.Time, a.Fact.ConcernedCountries())).ToList();
}
