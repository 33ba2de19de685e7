using System.Diagnostics;
using BalticAI.Sovereignty.Api.Decisions.RequestingAccess;

namespace BalticAI.Sovereignty.Api.Infrastructure.Telemetry;

/// <summary>
/// One access request being decided: its span, and its clock for <c>balticai.decision.duration</c>. Only
/// <see cref="Recorded"/> counts decisions, so a request that fails (503) adds none: nothing was recorded.
/// </summary>
public sealed class Deciding : IDisposable
{
    private readonly BrokerTelemetry _telemetry;
    private readonly KeyValuePair<string, object?> _engine;
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly Activity? _activity;
    private bool _recorded;

    internal Deciding(BrokerTelemetry telemetry, string engine)
    {
        _telemetry = telemetry;
        _engine = new KeyValuePair<string, object?>("engine", engine);
        _activity = telemetry.Activities.StartActivity("balticai.decide");
        _activity?.SetTag("balticai.policy.engine", engine);
    }

    /// <summary>The request's decisions are durable.</summary>
    public void Recorded(IReadOnlyList<DecisionResponse> decisions)
    {
        _recorded = true;
        _telemetry.Decided(decisions, _engine, Stopwatch.GetElapsedTime(_started));
        _activity?.SetTag("balticai.decisions.allowed", decisions.Count(d => d.Allowed));
        _activity?.SetTag("balticai.decisions.denied", decisions.Count(d => !d.Allowed));
    }

    public void Dispose()
    {
        if (!_recorded)
        {
            _activity?.SetStatus(ActivityStatusCode.Error, "nothing recorded");
        }
        _activity?.Dispose();
    }
}
