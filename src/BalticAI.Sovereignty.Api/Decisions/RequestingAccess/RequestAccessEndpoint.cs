using BalticAI.Sovereignty.Api.Datasets;
using BalticAI.Sovereignty.Api.Decisions.Grants;
using BalticAI.Sovereignty.Api.Decisions.Grants.Revoking;
using BalticAI.Sovereignty.Api.Decisions.PolicyInput;
using BalticAI.Sovereignty.Api.Decisions.Recording;
using BalticAI.Sovereignty.Api.Infrastructure.Idempotency;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Infrastructure.Telemetry;
using BalticAI.Sovereignty.Api.Infrastructure.Validation;
using BalticAI.Sovereignty.Api.Policies.Bundles;
using BalticAI.Sovereignty.Api.Policies.Engines;
using BalticAI.Sovereignty.Api.Policies.Lifecycle;
using BalticAI.Sovereignty.Api.Provenance.QueryingLineage;
using BalticAI.Sovereignty.Api.Sites;
using BalticAI.Sovereignty.Api.TrainingJobs;
using BalticAI.Sovereignty.Security;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace BalticAI.Sovereignty.Api.Decisions.RequestingAccess;

/// <summary>
/// The heart of the broker: before a job reads any byte, each requested dataset version is decided by
/// the active policy bundle, recorded (group commit) and, when allowed, granted with a signed token.
/// Nothing is answered before it is durable; when the engine, the key store or the database cannot
/// answer, the caller gets 503 and nothing is recorded or granted.
/// </summary>
public static class RequestAccessEndpoint
{
    public static IEndpointRouteBuilder MapRequestAccess(this IEndpointRouteBuilder app)
    {
        app.MapPost("/training-jobs/{id:guid}/access-requests", HandleAsync)
            .RequireAuthorization(policy => policy.RequireRole(Roles.TrainingSystem))
            .WithIdempotency()
            .WithName("RequestAccess")
            .WithTags("Decisions")
            .WithSummary("Decide whether the job may use each dataset version; allowed ones come with a signed grant")
            .WithDescription("Body: schemas/access-request.schema.json. One decision per dataset version, each recorded in the ledger before the answer, with every violated rule as a reason and the obligations to honour. "
                + "409 for a closed job or one whose site is suspended, 422 naming a withdrawn version: no policy decides then, and each refused version is recorded as `AccessRefused` (the problem's `refusals`). Accepts Idempotency-Key.")
            .Accepts<RequestAccess>("application/json")
            .Produces<AccessResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .Produces<AccessRefusalProblem>(StatusCodes.Status409Conflict, "application/problem+json")
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .Produces<AccessRefusalProblem>(StatusCodes.Status422UnprocessableEntity, "application/problem+json");
        return app;
    }

    private static async Task<Results<Ok<AccessResponse>, ProblemHttpResult>> HandleAsync(
        Guid id, HttpContext http, Caller caller, JsonRequests requests, DecisionMaker decisions, CancellationToken ct)
    {
        // The body is read first so that the job, its site and the asked datasets come back in one database
        // round trip; the job's own answers (404, 403) still take precedence over anything wrong in the body.
        var (request, problem) = await requests.ReadAsync<RequestAccess>(http.Request, "access-request", ct);
        var recorded = await decisions.ReadAsync(id, request, ct);
        if (recorded.Job is not { } job)
        {
            return JobReaders.NotFound(id);
        }
        if (job.TrainingSystem != caller.Organisation)
        {
            return TypedResults.Problem(title: "Not this job's training system",
                detail: $"Only {job.TrainingSystem}, which registered the job, may ask for access on its behalf.", statusCode: StatusCodes.Status403Forbidden);
        }
        if (problem is not null)
        {
            return problem;
        }
        var (asked, errors) = await decisions.GatherAsync(recorded, request!, caller.Actor, ct);
        if (!errors.IsEmpty)
        {
            AccessRefusals.AddWithdrawn(errors, asked);
            return JsonRequests.Content(errors);
        }
        if (AccessRefusals.Of(job, recorded.Site, asked) is { } refused)
        {
            return await decisions.RefuseAndRecordAsync(refused, caller.Actor, http, ct);
        }
        return TypedResults.Ok(await decisions.DecideAndRecordAsync(job.Id, [.. asked.Select(a => a.Fact)], caller.Actor, http.Features.Get<IdempotencyReservation>(), ct));
    }
}

/// <summary>What one request reads before deciding: the job (null when unknown), its site and the asked datasets.</summary>
public sealed record RecordedFacts(TrainingJob? Job, ComputeSite? Site, IReadOnlyDictionary<Guid, DatasetView> Datasets);

/// <summary>Gathers recorded facts, evaluates, signs and records; one instance serves every request.</summary>
public sealed class DecisionMaker(
    IDocumentStore store,
    RecordedFactsReader recordedFacts,
    PolicyLifecycle lifecycle,
    IPolicyEngine engine,
    ISigner signer,
    GroupCommitWriter writer,
    BrokerTelemetry telemetry,
    TenantMap tenants,
    IOptions<DecisionsOptions> options,
    TimeProvider clock)
{
    /// <summary>Job, site and datasets in one round trip (<see cref="RecordedFactsReader"/>): under load, database round trips and deserialising are much of a decision's cost.</summary>
    public Task<RecordedFacts> ReadAsync(Guid jobId, RequestAccess? request, CancellationToken ct) =>
        recordedFacts.ReadAsync(jobId, request is null ? [] : request.Datasets.Select(d => d.DatasetId).ToArray(), ct);

    /// <summary>The asked versions with their facts, withdrawn ones included (they are refused, not bad input), and what in the body is bad input.</summary>
    public async Task<(IReadOnlyList<AskedVersion> Asked, FieldErrors Errors)> GatherAsync(RecordedFacts recorded, RequestAccess request, Actor caller, CancellationToken ct)
    {
        var job = recorded.Job ?? throw new ArgumentException("facts are gathered for a recorded job only", nameof(recorded));
        var errors = new FieldErrors();
        var seen = new HashSet<(Guid, int)>();
        for (var i = 0; i < request.Datasets.Count; i++)
        {
            if (!seen.Add((request.Datasets[i].DatasetId, request.Datasets[i].Version)))
            {
                errors.Add($"/datasets/{i}", "this dataset version is asked for twice in one request");
            }
        }
        if (request.Datasets.Count > options.Value.MaxDatasetsPerRequest)
        {
            errors.Add("/datasets", $"at most {options.Value.MaxDatasetsPerRequest} dataset versions per request");
        }
        var views = recorded.Datasets;
        // Every dataset the asked ones derive from, however far back: a withdrawal or restriction anywhere
        // up the lineage concerns the data that came from it (rule 11). Not for a closed job or a suspended site:
        // every asked version is refused then, on the job or the site alone (AccessRefusals).
        IReadOnlyDictionary<Guid, IReadOnlyList<DerivationSource>> sources = new Dictionary<Guid, IReadOnlyList<DerivationSource>>();
        if (job.Closure is null && recorded.Site?.Suspension is null && views.Values.Any(v => v.State.Terms.Lineage.DerivedFrom.Count > 0))
        {
            await using var session = store.QuerySession();
            sources = await DerivedDatasets.SourcesAsync(session, views.ToDictionary(v => v.Key, v => v.Value.State), ct);
        }
        var site = recorded.Site
            ?? throw new InvalidOperationException($"job {job.Id} names site {job.SiteId}, which is not recorded");
        var operatorEntry = tenants.OfOrganisation(job.Operator)
            ?? new TenantEntry { Organisation = job.Operator, Name = job.Operator, Country = job.OperatorCountry };
        var now = clock.GetUtcNow();
        var asked = new List<AskedVersion>();
        for (var i = 0; i < request.Datasets.Count; i++)
        {
            var named = request.Datasets[i];
            if (!views.TryGetValue(named.DatasetId, out var view))
            {
                errors.Add($"/datasets/{i}/datasetId", $"no dataset {named.DatasetId} is registered");
                continue;
            }
            var version = view.State.Versions.FirstOrDefault(v => v.Number == named.Version);
            if (version is null)
            {
                errors.Add($"/datasets/{i}/version", DatasetProblems.NoSuchVersion(view.State, named.Version));
                continue;
            }
            var ancestors = sources.TryGetValue(view.Id, out var found) ? VersionLineage.Of(view.State, version.Number, found) : [];
            asked.Add(new AskedVersion(i, new DecisionFacts(view.State, version, ancestors, job, site, operatorEntry, caller, now, view.Revision), version.Withdrawal));
        }
        return (asked, errors);
    }

    /// <summary>
    /// Records the refusals through the group commit, as decisions are (a database that cannot answer is 503 and leaves
    /// none); with an Idempotency-Key, the refusal's answer is kept in the same commit.
    /// </summary>
    public async Task<ProblemHttpResult> RefuseAndRecordAsync(RefusedRequest refused, Actor caller, HttpContext http, CancellationToken ct)
    {
        var answer = refused.ToProblem();
        var reservation = http.Features.Get<IdempotencyReservation>();
        var kept = reservation is null ? null : await reservation.KeepAsync(http, answer);
        await writer.CommitAsync(caller, [.. refused.Refused.Select(r => new StreamStart(r.RefusalId, null, [r], r.RefusalId))], kept, ct);
        reservation?.Committed();
        telemetry.Refused(refused.Refused.Select(r => r.Reason));
        return answer;
    }

    /// <summary>With a <paramref name="reservation"/>, the answer is kept in the same commit as the decisions.</summary>
    public async Task<AccessResponse> DecideAndRecordAsync(Guid jobId, IReadOnlyList<DecisionFacts> facts, Actor caller, IdempotencyReservation? reservation, CancellationToken ct)
    {
        using var deciding = telemetry.StartDeciding(engine.Name);
        var bundle = lifecycle.Active;
        var streams = new List<StreamStart>();
        var responses = new List<DecisionResponse>();
        foreach (var fact in facts)
        {
            var input = PolicyInputBuilder.Build(fact);
            var verdict = PolicyVerdict.Interpret(await telemetry.EvaluateAsync(engine, bundle, PolicyBundle.DecisionQuery, input, EvaluationPurpose.Decision, ct));
            var (decided, issued) = Decide(fact, verdict, bundle, input, options.Value.GrantLifetime);
            GrantResponse? grant = null;
            streams.Add(new StreamStart(decided.DecisionId, null, [decided], decided.DecisionId));
            if (issued is not null)
            {
                // Signed before anything is recorded: a key store that cannot sign leaves no trace.
                var token = await GrantToken.SignAsync(signer, issued, decided, fact.Time, ct);
                issued = issued with { TokenSha256 = GrantToken.Digest(token) };
                streams.Add(new StreamStart(issued.GrantId, typeof(Grant), [issued]));
                grant = new GrantResponse(issued.GrantId, token, issued.ExpiresAt);
            }
            responses.Add(new DecisionResponse(decided.DecisionId, decided.DatasetId, decided.Version, decided.Allowed, decided.Reasons,
                decided.Obligations, new BundleReference(bundle.Revision, bundle.Digest), decided.InputDigest, decided.DecidedAt, grant));
        }
        var answer = new AccessResponse(jobId, responses);
        await writer.CommitAsync(caller, streams, reservation?.Keep(StatusCodes.Status200OK, answer), ct);
        reservation?.Committed();
        deciding.Recorded(responses);
        return answer;
    }

    /// <summary>Pure: the events one decision records.</summary>
    public static (AccessDecided Decided, GrantIssued? Issued) Decide(DecisionFacts fact, PolicyVerdict verdict, PolicyBundle bundle, System.Text.Json.Nodes.JsonObject input, TimeSpan grantLifetime)
    {
        var decisionId = Guid.CreateVersion7(fact.Time);
        var countries = fact.ConcernedCountries();
        var expiresAt = GrantExpiry(fact, grantLifetime);
        var outcome = verdict.WithinGrantWindow(input);
        var allowed = outcome.Allowed && expiresAt > fact.Time;
        var reasons = outcome.Allowed && !allowed ? [PolicyVerdict.GrantWouldExpire] : outcome.Reasons;
        var grantId = allowed ? Guid.CreateVersion7(fact.Time) : (Guid?)null;
        var obligations = allowed ? outcome.Obligations : [];
        var decided = new AccessDecided(decisionId, fact.Job.Id, fact.Dataset.Id, fact.Version.Number, fact.Job.TrainingSystem, fact.Site.Id,
            allowed, reasons, obligations, bundle.Revision, bundle.Digest, CanonicalJson.Sha256(input), input, grantId, fact.Time, countries);
        var issued = grantId is { } g
            ? new GrantIssued(g, decisionId, fact.Job.Id, fact.Dataset.Id, fact.Version.Number, fact.Site.Id, fact.Job.TrainingSystem, expiresAt, obligations, "", countries, fact.Site.Version, fact.DatasetRevision, bundle.Digest)
            : null;
        return (decided, issued);
    }

    private static DateTimeOffset GrantExpiry(DecisionFacts fact, TimeSpan lifetime)
    {
        var expiry = fact.Time + lifetime;
        var endOfJob = GrantRevoker.EndOf(fact.Job.PlannedEnd);
        if (endOfJob < expiry)
        {
            expiry = endOfJob;
        }
        if (fact.Dataset.Terms.Use.Expires is { } termsEnd)
        {
            var endOfTerms = GrantRevoker.EndOf(termsEnd);
            if (endOfTerms < expiry)
            {
                expiry = endOfTerms;
            }
        }
        return expiry;
    }
}
