using System.Security.Cryptography;
using System.Text;
using BalticAI.Sovereignty.Api.Datasets;
using BalticAI.Sovereignty.Api.Decisions.Grants.Revoking;
using BalticAI.Sovereignty.Api.Infrastructure.Concurrency;
using BalticAI.Sovereignty.Api.Infrastructure.Idempotency;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Infrastructure.Problems;
using BalticAI.Sovereignty.Api.Infrastructure.Validation;
using BalticAI.Sovereignty.Api.Ledger;
using BalticAI.Sovereignty.Api.Policies.Lifecycle;
using BalticAI.Sovereignty.Api.Provenance.QueryingLineage;
using BalticAI.Sovereignty.Api.Sites;
using BalticAI.Sovereignty.Api.Sites.Suspending;
using BalticAI.Sovereignty.Api.TrainingJobs;
using BalticAI.Sovereignty.Api.TrainingJobs.ClosingJob;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BalticAI.Sovereignty.Api.Decisions.Grants.RedeemingGrant;

/// <summary>The data plane records, as bytes actually move, that it released them under a grant.</summary>
public static class RedeemGrantEndpoint
{
    /// <summary>The body (schemas/grant-redemption.schema.json): what was released, and the grant the data plane checked before releasing it.</summary>
    public sealed record RedeemGrant(long Bytes, string Digest, string Token);

    /// <summary>
    /// Pure: a release is refused (409) under a revoked or expired grant, for a closed job or a suspended site (<paramref name="jobAndSite"/>),
    /// or from data that may not move: a dataset withdrawn or restricted, the granted version withdrawn, a source
    /// dataset withdrawn or restricted, terms that have ended (the revocation that follows may not be recorded yet);
    /// and (422) when the released bytes are not the version the grant names, or would take the grant's count of bytes
    /// past what it can hold.
    /// </summary>
    public static (GrantRedeemed? Redeemed, Refusal? Refusal) Decide(Grant grant, Dataset? dataset, IReadOnlyList<DerivationSource> sources, JobAndSite jobAndSite, RedeemGrant release, DateTimeOffset now)
    {
        // Grant ids are in the public ledger; the signed grant is held only by its training system and the
        // data plane it showed it to. Checked first, so the grant's state is told only to a holder.
        if (!HoldsGrant(grant, release.Token))
        {
            return (null, new Refusal(StatusCodes.Status403Forbidden, "Not this grant's token",
                $"The token presented is not the signed grant {grant.Id}: a release is recorded only by a data plane that checked the grant itself."));
        }
        var refusal = RefusalFor(grant, dataset, sources, jobAndSite, now);
        if (refusal is not null)
        {
            return (null, new Refusal(StatusCodes.Status409Conflict, "The grant does not allow a release", refusal));
        }
        var granted = dataset!.Versions.FirstOrDefault(v => v.Number == grant.DatasetVersion);
        if (granted is not null && !string.Equals(granted.Digest, release.Digest, StringComparison.OrdinalIgnoreCase))
        {
            return (null, new Refusal(StatusCodes.Status422UnprocessableEntity, "Not the granted version",
                $"The released digest {release.Digest} is not {granted.Digest}, the digest of version {grant.DatasetVersion}, which the grant names."));
        }
        // One release may name up to 2^53 - 1 bytes; unchecked, the grant's total would wrap to a negative count.
        if (release.Bytes > long.MaxValue - grant.BytesReleased)
        {
            return (null, new Refusal(StatusCodes.Status422UnprocessableEntity, "More bytes than a grant can count",
                $"Grant {grant.Id} already counts {grant.BytesReleased} bytes released; {release.Bytes} more would exceed {long.MaxValue}."));
        }
        return (new GrantRedeemed(grant.Id, release.Bytes, release.Digest, now, grant.Countries), null);
    }

    private static bool HoldsGrant(Grant grant, string token) =>
        grant.TokenSha256 is { } recorded
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(GrantToken.Digest(token)), Encoding.ASCII.GetBytes(recorded));

    private static string? RefusalFor(Grant grant, Dataset? dataset, IReadOnlyList<DerivationSource> sources, JobAndSite jobAndSite, DateTimeOffset now)
    {
        if (grant.Status == GrantStatus.Revoked)
        {
            return $"the grant was revoked ({grant.RevocationReason})";
        }
        if (grant.IsExpired(now))
        {
            return $"the grant expired at {grant.ExpiresAt:O}";
        }
        if (jobAndSite.JobClosure is { } closure)
        {
            return $"job {grant.JobId} was closed ({CloseJobEndpoint.Outcome(closure.Outcome)}) at {closure.ClosedAt:O}";
        }
        if (jobAndSite.SiteSuspension is { } suspension)
        {
            return $"site {grant.SiteId} is suspended ({SuspendSiteEndpoint.Token(suspension.Reason)}) since {suspension.Since:O}";
        }
        if (dataset is null || dataset.Status != DatasetStatus.Active)
        {
            return $"the dataset is {(dataset is null ? "not recorded" : DatasetView.Token(dataset.Status))}";
        }
        if (dataset.WithdrawalOf(grant.DatasetVersion) is { } withdrawal)
        {
            return $"version {grant.DatasetVersion} of the dataset was withdrawn ({DatasetView.Token(withdrawal.Reason)}) at {withdrawal.At:O}";
        }
        if (sources.FirstOrDefault(s => s.State.Status != DatasetStatus.Active) is { } inactive)
        {
            return $"the dataset derives from dataset {inactive.DatasetId}, which is {DatasetView.Token(inactive.State.Status)}";
        }
        if (GrantRevoker.WithdrawnSourceVersion(dataset, grant.DatasetVersion, sources) is { VersionWithdrawal: { } gone } source)
        {
            return $"version {grant.DatasetVersion} of the dataset was made from version {source.Version} of dataset {source.DatasetId}, which was withdrawn ({DatasetView.Token(gone.Reason)}) at {gone.At:O}";
        }
        if (dataset.Terms.Use.Expires is { } end && GrantRevoker.EndOf(end) <= now)
        {
            return $"the owner's terms ended at {GrantRevoker.EndOf(end):O}";
        }
        return null;
    }

    public static IEndpointRouteBuilder MapRedeemGrant(this IEndpointRouteBuilder app)
    {
        app.MapPost("/grants/{id:guid}/redemptions", HandleAsync)
            .RequireAuthorization(policy => policy.RequireRole(Roles.DataPlane))
            .WithIdempotency()
            .WithName("RedeemGrant")
            .WithTags("Grants")
            .WithSummary("Record that bytes were released under a grant (DataPlane); refused for revoked, expired or withdrawn, or another version's bytes")
            .WithDescription("Body: schemas/grant-redemption.schema.json: the number of bytes and the sha256 digest of what was released, and the signed grant (compact JWS) the data plane checked; another token is 403. Accepts Idempotency-Key: a data plane that retries after a timeout then records the release once. A grant decided on terms or site facts amended since, or under a bundle another activation replaced, is taken again by the release itself until the grant revoker has: the release goes when the grant stands, and is 503 with Retry-After when it would not, until its revocation is recorded (then 409).")
            .Accepts<RedeemGrant>("application/json")
            .Produces<GrantResponse>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    // Releases of one grant on this node take turns, so they do not use up their attempts on each other's commits
    // (a dozen parallel releases of one grant could lose eight times in a row); those of other nodes still retry.
    private static readonly SemaphoreSlim[] ReleaseTurns = Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    /// <summary>
    /// Releases of one grant run in parallel, and a revocation, or a withdrawal or restriction of the data,
    /// can land between a release's read and its commit: the commit then fails its version check (the
    /// grant's, or those of <see cref="DataRead"/>), and the release is decided again on what is now
    /// recorded, so a revocation or withdrawal refuses it and a neighbour's release does not.
    /// </summary>
    private static async Task<Results<Created<GrantResponse>, ProblemHttpResult>> HandleAsync(
        Guid id, HttpContext http, Caller caller, JsonRequests requests, IDocumentStore store, PendingRedecision pending, TimeProvider clock)
    {
        var (release, problem) = await requests.ReadAsync<RedeemGrant>(http.Request, "grant-redemption", http.RequestAborted);
        if (problem is not null)
        {
            return problem;
        }
        var turn = ReleaseTurns[(int)((uint)id.GetHashCode() % ReleaseTurns.Length)];
        await turn.WaitAsync(http.RequestAborted);
        try
        {
            return await RecordAsync(id, http, caller, release!, store, pending, clock);
        }
        finally
        {
            turn.Release();
        }
    }

    /// <summary>
    /// The streams whose state allowed the release, at the versions read: a withdrawal or restriction of the
    /// dataset or of a source, the closure of the job or the suspension of the site, committed before the release then fails the release's
    /// commit, which is decided again and refused; one committed after it revokes the grant the release was recorded
    /// under. The policy's stream too, when a bundle is active, so a release never commits on a judgement an
    /// activation has overtaken.
    /// </summary>
    private static IReadOnlyDictionary<Guid, long> DataRead(DatasetView dataset, IReadOnlyList<DerivationSource> sources, TrainingJob? job, ComputeSite? site, ActivePolicyPointer? policy)
    {
        var read = new Dictionary<Guid, long> { [dataset.Id] = dataset.Revision };
        if (site is not null)
        {
            read[site.Id] = site.Version;
        }
        if (job is not null)
        {
            // Null only for a grant written without its decision's job (none is ever deleted): nothing to close it then.
            read[job.Id] = job.Version;
        }
        if (policy is not null)
        {
            // An activation committed meanwhile makes the release decide again under the bundle it activated.
            read[PolicyLifecycle.StreamId] = policy.LedgerVersion;
        }
        foreach (var source in sources)
        {
            // Sources are loaded by their views (the dataset itself is never its own source), so each has its version.
            read[source.DatasetId] = source.Revision ?? throw new InvalidOperationException($"Source {source.DatasetId} was read without its version.");
        }
        return read;
    }

    /// <summary>
    /// A job or site with its stream's version, which the release commits on. One stored before its document kept the
    /// version reads 0: its stream's state is read, then the document again, so a closure or suspension committed
    /// between the two reads is either in the document read last (which then carries its own version) or moves the
    /// stream past the version read.
    /// </summary>
    private static async Task<T?> WithVersionAsync<T>(IDocumentSession session, Guid id, Func<T, long> version, Func<T, long, T> withVersion, CancellationToken ct)
        where T : class
    {
        var document = await session.LoadAsync<T>(id, ct);
        if (document is null || version(document) > 0)
        {
            return document;
        }
        var state = await session.Events.FetchStreamStateAsync(id, ct);
        document = await session.LoadAsync<T>(id, ct);
        return document is not null && version(document) == 0 && state is not null ? withVersion(document, state.Version) : document;
    }

    private static Task<Results<Created<GrantResponse>, ProblemHttpResult>> RecordAsync(
        Guid id, HttpContext http, Caller caller, RedeemGrant release, IDocumentStore store, PendingRedecision pending, TimeProvider clock) =>
        GrantWrites.UntilCommittedAsync<Created<GrantResponse>>(id, "this release", async _ =>
        {
            await using var session = store.LightweightSession();
            var stream = await session.Events.FetchForWriting<Grant>(id, http.RequestAborted);
            if (stream.Aggregate is null)
            {
                return GrantResponse.NotFound(id);
            }
            var view = await session.LoadAsync<DatasetView>(stream.Aggregate.DatasetId, http.RequestAborted);
            var sources = view is null
                ? []
                : (await DerivedDatasets.SourcesAsync(session, new Dictionary<Guid, Dataset> { [view.Id] = view.State }, http.RequestAborted))[view.Id];
            var job = await WithVersionAsync<TrainingJob>(session, stream.Aggregate.JobId, j => j.Version, (j, v) => j with { Version = v }, http.RequestAborted);
            var site = await WithVersionAsync<ComputeSite>(session, stream.Aggregate.SiteId, s => s.Version, (s, v) => s with { Version = v }, http.RequestAborted);
            var now = clock.GetUtcNow();
            var (redeemed, refusal) = Decide(stream.Aggregate, view?.State, sources, JobAndSite.Of(job, site), release, now);
            if (redeemed is null)
            {
                return refusal!.ToProblem();
            }
            var policy = await session.LoadAsync<ActivePolicyPointer>(ActivePolicyPointer.SingletonId, http.RequestAborted);
            if (PendingRedecision.DecidedOnOlderFacts(stream.Aggregate, view, site, policy?.Digest)
                && await pending.IsPendingAsync(stream.Aggregate, http.RequestAborted)
                && !await pending.StandsAsync(session, stream.Aggregate, view!.State, site, policy?.Digest, http.RequestAborted))
            {
                http.Response.Headers.RetryAfter = PendingRedecision.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                return TypedResults.Problem(title: "The grant is being decided again",
                    detail: $"The dataset's terms or the site's facts were amended, or another policy bundle was activated, after grant {id} was decided, and taken again on them it would not stand; the broker has not yet recorded its revocation, and nothing was recorded. Send the release again after {PendingRedecision.RetryAfterSeconds} s.",
                    statusCode: StatusCodes.Status503ServiceUnavailable);
            }
            session.RecordActor(caller.Actor);
            stream.AppendOne(redeemed);
            session.QueueOperation(new StreamsUnchanged(store.Options.Events.DatabaseSchemaName, DataRead(view!, sources, job, site, policy)));
            var answer = TypedResults.Created($"/grants/{id}", GrantResponse.From(GrantProjection.Apply(redeemed, stream.Aggregate), now));
            await session.SaveWithAnswerAsync(http, answer);
            return answer;
        }, http.RequestAborted);
}
