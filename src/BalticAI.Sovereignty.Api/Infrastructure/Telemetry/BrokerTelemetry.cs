using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Reflection;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Decisions;
using BalticAI.Sovereignty.Api.Decisions.Grants.Revoking;
using BalticAI.Sovereignty.Api.Decisions.Recording;
using BalticAI.Sovereignty.Api.Decisions.RequestingAccess;
using BalticAI.Sovereignty.Api.Feeds.Outbox;
using BalticAI.Sovereignty.Api.Policies.Bundles;
using BalticAI.Sovereignty.Api.Policies.Engines;

namespace BalticAI.Sovereignty.Api.Infrastructure.Telemetry;

/// <summary>Why the policy engine was asked: one bounded tag value each, so a dry run's load is not read as decisions'.</summary>
public enum EvaluationPurpose
{
    Decision,
    DryRun,
    Replay,
    SiteRedecision,
    TermsRedecision,
    Impact,
    PolicyRedecision,
    ReleaseRedecision,
}

/// <summary>
/// The broker's own instruments and its activity source, all named <see cref="Name"/>. Tags stay few and
/// bounded (outcome, engine, dependency, feed): a dataset, job, grant or caller never becomes a tag, because
/// every distinct value is a time series kept by the operator's backend, and those ids are for the ledger.
/// </summary>
public sealed class BrokerTelemetry : IDisposable
{
    public const string Name = "BalticAI.Sovereignty";

    public static readonly string Version =
        typeof(BrokerTelemetry).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    // ASP.NET Core's boundaries for request durations: the SDK's defaults are meant for milliseconds.
    private static readonly double[] SecondsBuckets = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
    private static readonly int[] BatchBuckets = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512];

    private readonly Counter<long> _decisions;
    private readonly Counter<long> _refusals;
    private readonly Histogram<double> _decisionDuration;
    private readonly Histogram<double> _policyEvaluation;
    private readonly Counter<long> _dependencyUnavailable;
    private readonly Histogram<int> _groupCommitBatch;
    private readonly Counter<long> _envelopesPublished;

    public BrokerTelemetry(IMeterFactory meters)
    {
        Meter = meters.Create(new MeterOptions(Name) { Version = Version });
        Activities = new ActivitySource(Name, Version);
        _decisions = Meter.CreateCounter<long>("balticai.decisions", "{decision}",
            "Access decisions recorded in the ledger, by outcome (allow, deny) and policy engine.");
        _refusals = Meter.CreateCounter<long>("balticai.access.refusals", "{refusal}",
            "Asked dataset versions refused and recorded before any policy decided, by reason (job-closed, site-suspended, dataset-version-withdrawn).");
        _decisionDuration = Meter.CreateHistogram("balticai.decision.duration", "s",
            "Time from evaluating an access request's first dataset version to the durable commit of all its decisions.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });
        _policyEvaluation = Meter.CreateHistogram("balticai.policy.evaluation.duration", "s",
            "Time the policy engine took to evaluate one input, by purpose (decision, dry_run, replay, site_redecision, terms_redecision, impact, policy_redecision, release_redecision).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });
        _dependencyUnavailable = Meter.CreateCounter<long>("balticai.dependency.unavailable", "{response}",
            "Requests answered 503 because a dependency could not answer (database, policy_engine, key_store) or the request timed out (request_timeout).");
        _groupCommitBatch = Meter.CreateHistogram("balticai.group_commit.batch.size", "{decision}",
            "Access decisions committed together in one group-commit transaction.",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = BatchBuckets });
        _envelopesPublished = Meter.CreateCounter<long>("balticai.feeds.envelopes.published", "{envelope}",
            "Signed feed envelopes that RabbitMQ confirmed, by regulator feed (PL, EE, LT, LV, EU).");
    }

    /// <summary>Owned by the host's meter factory, which disposes it with the container.</summary>
    public Meter Meter { get; }

    public ActivitySource Activities { get; }

    /// <summary>Starts timing (and tracing) one access request's decisions under <paramref name="engine"/>.</summary>
    public Deciding StartDeciding(string engine) => new(this, engine);

    internal void Decided(IReadOnlyList<DecisionResponse> decisions, KeyValuePair<string, object?> engineTag, TimeSpan took)
    {
        foreach (var decision in decisions)
        {
            _decisions.Add(1, new KeyValuePair<string, object?>("outcome", decision.Allowed ? "allow" : "deny"), engineTag);
        }
        _decisionDuration.Record(took.TotalSeconds, engineTag);
    }

    /// <summary>Counts refusals after their commit, tagged with the reason's kind only (`job-closed`, not how the job ended): a bounded set.</summary>
    public void Refused(IEnumerable<string> reasons)
    {
        foreach (var reason in reasons)
        {
            _refusals.Add(1, new KeyValuePair<string, object?>("reason", RevocationReasons.KindOf(reason)));
        }
    }

    /// <summary><paramref name="engine"/>'s evaluation, timed; a failed evaluation is timed too, tagged with its error type.</summary>
    public Task<JsonNode?> EvaluateAsync(IPolicyEngine engine, PolicyBundle bundle, string query, JsonNode input, EvaluationPurpose purpose, CancellationToken ct) =>
        EvaluateAsync(engine.Name, bundle, purpose, () => engine.EvaluateAsync(bundle, query, input, ct));

    /// <summary>One evaluation by <paramref name="engine"/> of <paramref name="bundle"/>, timed and traced as every other.</summary>
    public async Task<JsonNode?> EvaluateAsync(string engine, PolicyBundle bundle, EvaluationPurpose purpose, Func<Task<JsonNode?>> evaluate)
    {
        var purposeTag = new KeyValuePair<string, object?>("purpose", Tag(purpose));
        using var activity = Activities.StartActivity("balticai.policy.evaluate");
        activity?.SetTag("balticai.policy.engine", engine);
        activity?.SetTag("balticai.policy.revision", bundle.Revision);
        activity?.SetTag("balticai.policy.purpose", purposeTag.Value);
        var started = Stopwatch.GetTimestamp();
        string? error = null;
        try
        {
            return await evaluate();
        }
        catch (Exception e)
        {
            error = e.GetType().Name;
            activity?.SetStatus(ActivityStatusCode.Error, error);
            throw;
        }
        finally
        {
            var engineTag = new KeyValuePair<string, object?>("engine", engine);
            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            if (error is null)
            {
                _policyEvaluation.Record(seconds, engineTag, purposeTag);
            }
            else
            {
                _policyEvaluation.Record(seconds, engineTag, purposeTag, new KeyValuePair<string, object?>("error.type", error));
            }
        }
    }

    private static string Tag(EvaluationPurpose purpose) => purpose switch
    {
        EvaluationPurpose.Decision => "decision",
        EvaluationPurpose.DryRun => "dry_run",
        EvaluationPurpose.Replay => "replay",
        EvaluationPurpose.SiteRedecision => "site_redecision",
        EvaluationPurpose.TermsRedecision => "terms_redecision",
        EvaluationPurpose.Impact => "impact",
        EvaluationPurpose.PolicyRedecision => "policy_redecision",
        EvaluationPurpose.ReleaseRedecision => "release_redecision",
        _ => throw new ArgumentOutOfRangeException(nameof(purpose), purpose, null),
    };

    /// <summary><paramref name="dependency"/> as the problem detail names it ("policy engine"); tagged in snake case.</summary>
    public void DependencyUnavailable(string dependency) =>
        _dependencyUnavailable.Add(1, new KeyValuePair<string, object?>("dependency", dependency.Replace(' ', '_')));

    /// <summary>Records the decisions among <paramref name="streams"/> (one list per request) that one transaction committed; recorded reads alone are not a decision batch.</summary>
    public void Committed(IEnumerable<IReadOnlyList<StreamStart>> streams)
    {
        var decisions = streams.Sum(request => request.Count(s => s.Events.Count > 0 && s.Events[0] is AccessDecided));
        if (decisions > 0)
        {
            _groupCommitBatch.Record(decisions);
        }
    }

    public void Published(IEnumerable<SealedEnvelope> envelopes)
    {
        foreach (var feed in envelopes.GroupBy(e => e.Feed, StringComparer.Ordinal))
        {
            _envelopesPublished.Add(feed.Count(), new KeyValuePair<string, object?>("feed", feed.Key));
        }
    }

    public void Dispose() => Activities.Dispose();
}
