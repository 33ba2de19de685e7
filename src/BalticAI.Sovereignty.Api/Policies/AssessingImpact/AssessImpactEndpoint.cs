using System.Diagnostics;
using System.Globalization;
using BalticAI.Sovereignty.Api.Decisions.Grants;
using BalticAI.Sovereignty.Api.Decisions.Grants.Revoking;
using BalticAI.Sovereignty.Api.Decisions.RequestingAccess;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Infrastructure.Problems;
using BalticAI.Sovereignty.Api.Infrastructure.Telemetry;
using BalticAI.Sovereignty.Api.Infrastructure.Validation;
using BalticAI.Sovereignty.Api.Ledger.RecordingReads;
using BalticAI.Sovereignty.Api.Ledger.Tree;
using BalticAI.Sovereignty.Api.Policies.ActivatingBundle;
using BalticAI.Sovereignty.Api.Policies.Bundles;
using BalticAI.Sovereignty.Api.Policies.Engines;
using BalticAI.Sovereignty.Api.Policies.Lifecycle;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace BalticAI.Sovereignty.Api.Policies.AssessingImpact;

/// <summary>
/// Before a PolicyAdmin activates a bundle (or as an auditor weighs a proposed one): what it would have decided otherwise. The candidate is read and checked as
/// an activation checks it (the same body, the same 400/409/415/422), then the newest recorded decisions are taken again
/// under it on their recorded inputs and compared with what was recorded. Nothing is loaded into an engine and nothing
/// is recorded: activation alone changes what the broker decides.
/// </summary>
public static class AssessImpactEndpoint
{
    /// <summary>Kept back from the request's time limit for writing the report, so a long sample ends in a report, not a 503.</summary>
    private static readonly TimeSpan AnswerMargin = TimeSpan.FromSeconds(1);

    public static RouteGroupBuilder MapAssessImpact(this RouteGroupBuilder group)
    {
        group.MapPost("/impact", HandleAsync)
            // Auditors read every recorded decision already, and weigh a proposed bundle as its authors do; a national
            // regulator reads only its feed's decisions, which a report over all of them would exceed.
            .RequireAuthorization(policy => policy.RequireRole(Roles.PolicyAdmin, Roles.Auditor))
            // The report names recorded decisions, their jobs, datasets and outcomes: an auditor's is a read of them.
            .RecordsReads()
            .WithName("AssessPolicyImpact")
            .WithSummary("What a candidate bundle would have decided otherwise: the newest recorded decisions taken again under it on their recorded inputs, compared with what was recorded; nothing is activated or recorded")
            .WithDescription("The body is an activation's (JSON or a signed OPA bundle archive), checked as an activation checks it: 422 when it does not compile, "
                + "its tests fail or its data strays from its schemas, 409 when its revision names other recorded content. "
                + "Query: limit (1-10000, default 1000) newest decisions, dataset, job, from, to (RFC 3339). "
                + "Each change is now-denied, now-allowed, obligations-changed, reasons-changed (other denying rules) or failed (the candidate raises an error "
                + "or exceeds a limit on that input). `grants` previews the activation itself: every active grant decided under another bundle, decided again under the candidate on its site and dataset as they stand, "
                + "with how many would be revoked, by reason, the first 100 named. Evaluated by the embedded engine for at most Policy:ImpactTimeout, decisions first; `scope.stoppedBecause` and `grants.stoppedBecause` say when it stopped early. "
                + "One assessment at a time per node: another is 429 with Retry-After.")
            .Accepts<ActivateBundleEndpoint.ActivateBundle>(RequestBody.Json, OpaBundleMedia.Archive)
            .AcceptsArchive()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        return group;
    }

    private static async Task<Results<Ok<ImpactReport>, ProblemHttpResult>> HandleAsync(HttpRequest http,
        string? dataset, string? job, string? from, string? to, string? limit,
        PolicyLifecycle lifecycle, EmbeddedRegoEngine engine, LedgerStore ledger, IDocumentStore store, BrokerTelemetry telemetry, GrantRedecision redecision,
        IOptions<RequestLimitsOptions> limits, PolicyOptions policy, TimeProvider clock, ImpactGate gate, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var errors = new FieldErrors();
        if (DecisionSample.Parse(dataset, job, from, to, limit, errors) is not { } sample)
        {
            return errors.ToQueryProblem();
        }
        if (!gate.TryEnter())
        {
            http.HttpContext.Response.Headers.RetryAfter = ((int)ImpactGate.RetryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            return TypedResults.Problem(title: "An impact assessment is already running", statusCode: StatusCodes.Status429TooManyRequests,
                detail: $"This node takes one impact assessment at a time; nothing was read. Ask again after {ImpactGate.RetryAfter.TotalSeconds:0} s.");
        }
        try
        {
            return await AssessAsync(http, sample, started, lifecycle, engine, ledger, store, telemetry, redecision, limits.Value, policy, clock, ct);
        }
        finally
        {
            gate.Exit();
        }
    }

    private static async Task<Results<Ok<ImpactReport>, ProblemHttpResult>> AssessAsync(HttpRequest http, DecisionSample sample, long started,
        PolicyLifecycle lifecycle, EmbeddedRegoEngine engine, LedgerStore ledger, IDocumentStore store, BrokerTelemetry telemetry, GrantRedecision redecision,
        RequestLimitsOptions limits, PolicyOptions policy, TimeProvider clock, CancellationToken ct)
    {
        var (request, _, unacceptable) = await ActivateBundleEndpoint.ReadAsync(http, limits.MaxRequestBodyBytes, policy.BundleSigning, ct);
        if (request is null)
        {
            return unacceptable!;
        }
        var candidate = request.ToBundle();
        Rego.RegoPolicy compiled;
        BundleTests tests;
        try
        {
            (compiled, tests) = await lifecycle.CheckAsync(candidate, ct);
        }
        catch (PolicyBundleInvalidException e)
        {
            return ActivateBundleEndpoint.Refused(e);
        }
        catch (PolicyRevisionTakenException e)
        {
            return ActivateBundleEndpoint.RevisionTaken(e, candidate);
        }
        var (active, activeVersion) = lifecycle.ActiveActivation;
        var (sequences, every) = await sample.SequencesAsync(ledger, ct);
        var assessment = new ImpactAssessment(candidate, compiled, engine, telemetry);
        // Both limits count from the request's start, so the candidate's checks spend the budget as well.
        var budget = TimeSpan.FromTicks(Math.Max(0, Math.Min(policy.ImpactTimeout.Ticks, (limits.RequestTimeout - AnswerMargin).Ticks)));
        var left = budget - Stopwatch.GetElapsedTime(started);
        using var deadline = new CancellationTokenSource(left > TimeSpan.Zero ? left : TimeSpan.Zero);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(ct, deadline.Token);
        string? stopped = null;
        try
        {
            await foreach (var recorded in DecisionSample.LoadAsync(store, sequences, bounded.Token))
            {
                // The engine looks at the clock only every so many steps: a short evaluation would run past the budget.
                bounded.Token.ThrowIfCancellationRequested();
                await assessment.AddAsync(recorded, bounded.Token);
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            stopped = string.Create(CultureInfo.InvariantCulture,
                $"the time budget of {budget.TotalSeconds:0.###} s from the request's start (Policy:ImpactTimeout, within Api:RequestTimeout less {AnswerMargin.TotalSeconds:0} s) ran out after {assessment.Evaluated} of {sequences.Count} decisions; ask for fewer (limit, dataset, job, from, to)");
        }
        IReadOnlyDictionary<Guid, Grant> grants = new Dictionary<Guid, Grant>();
        if (assessment.ChangedGrants.Count > 0)
        {
            await using var session = store.QuerySession();
            grants = (await session.LoadManyAsync<Grant>(ct, assessment.ChangedGrants)).ToDictionary(g => g.Id);
        }
        var (summary, changes) = assessment.Finish(grants, clock.GetUtcNow());
        var (oldest, newest) = assessment.Span;
        var scope = new ImpactScope(sample.Limit, sequences.Count, assessment.Evaluated, every, oldest, newest, stopped);
        var preview = stopped is not null
            ? new ActivationPreview().Finish(await GrantRevoker.CountDecidedUnderOtherAsync(store, candidate.Digest, clock.GetUtcNow(), ct),
                "the time budget ran out on the decisions: no active grant was decided again")
            : await PreviewGrantsAsync(candidate, compiled, store, redecision, clock, budget, deadline, bounded.Token, ct);
        return TypedResults.Ok(new ImpactReport(new BundleReference(candidate.Revision, candidate.Digest), tests,
            new BundleReference(active.Revision, active.Digest), activeVersion, engine.Name, scope, summary, changes, preview));
    }

    /// <summary>
    /// The active grants the candidate's activation would decide again, decided again now as it will (on the sites and
    /// datasets as they stand), with what is left of the time budget; nothing is recorded.
    /// </summary>
    private static async Task<GrantsPreview> PreviewGrantsAsync(PolicyBundle candidate, Rego.RegoPolicy compiled, IDocumentStore store,
        GrantRedecision redecision, TimeProvider clock, TimeSpan budget, CancellationTokenSource deadline, CancellationToken bounded, CancellationToken ct)
    {
        var toDecideAgain = await GrantRevoker.CountDecidedUnderOtherAsync(store, candidate.Digest, clock.GetUtcNow(), ct);
        var preview = new ActivationPreview();
        try
        {
            await using var session = store.QuerySession();
            await GrantRevoker.PreviewActivationAsync(session, candidate.Digest, clock,
                (decided, site, dataset) => redecision.TakeAgainAsync(candidate, compiled, decided, site, dataset, EvaluationPurpose.Impact, bounded), preview.Add, bounded);
            return preview.Finish(toDecideAgain, null);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            return preview.Finish(toDecideAgain, string.Create(CultureInfo.InvariantCulture,
                $"the time budget of {budget.TotalSeconds:0.###} s ran out after {preview.Evaluated} of {toDecideAgain} active grants; activation decides them all again"));
        }
    }
}
