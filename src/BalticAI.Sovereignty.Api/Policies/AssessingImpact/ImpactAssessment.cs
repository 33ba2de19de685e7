using BalticAI.Sovereignty.Api.Decisions;
using BalticAI.Sovereignty.Api.Decisions.RequestingAccess;
using BalticAI.Sovereignty.Api.Infrastructure.Telemetry;
using BalticAI.Sovereignty.Api.Policies.Bundles;
using BalticAI.Sovereignty.Api.Policies.Engines;
using BalticAI.Sovereignty.Rego;

namespace BalticAI.Sovereignty.Api.Policies.AssessingImpact;

/// <summary>
/// Takes recorded decisions again under a candidate bundle, one by one, as a replay takes one under its own: the
/// recorded input, the decision query, the grant window applied after the policy. Runs on the broker's embedded engine
/// in both modes: an OPA server holds only the active bundle, and the candidate is not active.
/// </summary>
public sealed class ImpactAssessment(PolicyBundle candidate, RegoPolicy compiled, EmbeddedRegoEngine engine, BrokerTelemetry telemetry)
{
    private readonly List<(DecisionImpact Change, Guid? GrantId)> _changes = [];
    private int _unchanged, _nowDenied, _nowAllowed, _obligationsChanged, _reasonsChanged, _failed;
    private DateTimeOffset? _oldest, _newest;

    public int Evaluated { get; private set; }

    /// <summary>
    /// Decides <paramref name="recorded"/> again. An evaluation that fails, or runs out of the evaluation time limit or the
    /// engine's budgets, counts as failed with its errors: under this candidate, that decision would be answered 503.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> was cancelled.</exception>
    public async Task AddAsync(AccessDecided recorded, CancellationToken ct)
    {
        string? change;
        ImpactOutcome outcome;
        try
        {
            // The policy the candidate's checks compiled: compiling it again through the engine would also push a recorded
            // bundle out of the engine's cache, which replays and re-decisions then compile again.
            var result = await telemetry.EvaluateAsync(engine.Name, candidate, EvaluationPurpose.Impact,
                () => Task.FromResult(EmbeddedRegoEngine.Evaluate(compiled, PolicyBundle.DecisionQuery, recorded.Input, ct)));
            var verdict = PolicyVerdict.Interpret(result).WithinGrantWindow(recorded.Input);
            change = ImpactChange.Of(recorded, verdict);
            outcome = ImpactOutcome.Of(verdict.Allowed, verdict.Reasons, verdict.Obligations);
        }
        catch (PolicyEvaluationFailedException e)
        {
            (change, outcome) = (ImpactChange.Failed, ImpactOutcome.Failed(e.Errors));
        }
        catch (PolicyEngineUnavailableException e)
        {
            ct.ThrowIfCancellationRequested();
            (change, outcome) = (ImpactChange.Failed, ImpactOutcome.Failed([e.Message]));
        }
        Count(change);
        Evaluated++;
        _oldest = _oldest is { } oldest && oldest <= recorded.DecidedAt ? oldest : recorded.DecidedAt;
        _newest = _newest is { } newest && newest >= recorded.DecidedAt ? newest : recorded.DecidedAt;
        if (change is not null)
        {
            _changes.Add((new DecisionImpact(recorded.DecisionId, change, recorded.DecidedAt, recorded.JobId, recorded.DatasetId, recorded.Version,
                recorded.TrainingSystem, null, new BundleReference(recorded.BundleRevision, recorded.BundleDigest),
                ImpactOutcome.Of(recorded.Allowed, recorded.Reasons, recorded.Obligations), outcome), recorded.GrantId));
        }
    }

    private void Count(string? change)
    {
        switch (change)
        {
            case null: _unchanged++; break;
            case ImpactChange.NowDenied: _nowDenied++; break;
            case ImpactChange.NowAllowed: _nowAllowed++; break;
            case ImpactChange.ObligationsChanged: _obligationsChanged++; break;
            case ImpactChange.ReasonsChanged: _reasonsChanged++; break;
            default: _failed++; break;
        }
    }

    /// <summary>The grants the changed decisions gave, to be read as they now stand.</summary>
    public IReadOnlyList<Guid> ChangedGrants => _changes.Select(c => c.GrantId).OfType<Guid>().ToList();

    /// <summary>
    /// The counts and the changes, newest first, each with its grant as <paramref name="grants"/> hold it at
    /// <paramref name="now"/> (a grant they lack, which its decision's own commit records, is left out).
    /// </summary>
    public (ImpactSummary Summary, IReadOnlyList<DecisionImpact> Changes) Finish(IReadOnlyDictionary<Guid, Decisions.Grants.Grant> grants, DateTimeOffset now)
    {
        var changes = _changes
            .Select(c => c.GrantId is { } id && grants.TryGetValue(id, out var grant) ? c.Change with { Grant = GrantState.Of(grant, now) } : c.Change)
            .ToList();
        var active = changes.Count(c => c.Grant?.Status == GrantState.Active);
        return (new ImpactSummary(_unchanged, _nowDenied, _nowAllowed, _obligationsChanged, _reasonsChanged, _failed, active), changes);
    }

    public (DateTimeOffset? Oldest, DateTimeOffset? Newest) Span => (_oldest, _newest);
}
