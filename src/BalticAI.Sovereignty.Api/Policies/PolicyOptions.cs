using BalticAI.Sovereignty.Api.Policies.Engines.Opa;
using BalticAI.Sovereignty.Api.Policies.Signing;
using Microsoft.Extensions.Options;

namespace BalticAI.Sovereignty.Api.Policies;

public sealed class PolicyOptions
{
    public const string SectionName = "Policy";

    /// <summary>`embedded` (default: the managed Rego engine) or `opa` (an OPA server's REST API).</summary>
    public string Engine { get; set; } = "embedded";

    /// <summary>OPA server base address, required when <see cref="Engine"/> is `opa`.</summary>
    public Uri? OpaUrl { get; set; }

    /// <summary>Timeouts, retries and circuit breaker of the calls to OPA (`Policy:Opa:*`).</summary>
    public OpaResilienceOptions Opa { get; set; } = new();

    /// <summary>How long a check that OPA holds the recorded bundle stays trusted.</summary>
    public TimeSpan OpaVerifyInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The bundle recorded as active when the ledger has none yet, unless <see cref="InitialBundle"/> is set.</summary>
    public string BundleDirectory { get; set; } = "../../policies";

    /// <summary>
    /// An OPA bundle archive to record as active when the ledger has none yet, instead of <see cref="BundleDirectory"/>;
    /// verified as an activation verifies an archive. Required for a fresh ledger under <see cref="BundleSigning"/>.
    /// </summary>
    public string? InitialBundle { get; set; }

    /// <summary>Per-evaluation time limit of the embedded engine, and of each test query an activation runs (either engine).</summary>
    public TimeSpan EvaluationTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long an activation may run the bundle's tests, which it does holding the activation lock: past it the
    /// bundle is refused (422). The caller going away ends the run as well.
    /// </summary>
    public TimeSpan TestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long an impact assessment (`POST /policies/impact`) may run, from the request's start (the candidate's checks
    /// included), and never past `Api:RequestTimeout` less a second: past it the report covers the decisions evaluated so
    /// far and says it stopped.
    /// </summary>
    public TimeSpan ImpactTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// The line coverage (percent, `opa test --coverage`'s count) a bundle's tests must reach for it to be activated;
    /// 0 (default) for none. The shipped bundle reaches 100. Each activation records its coverage whatever this is.
    /// </summary>
    public double MinimumTestCoverage { get; set; }

    /// <summary>The keys an OPA bundle archive must be signed with to be activated (`Policy:BundleSigning:*`); none by default.</summary>
    public BundleSigningOptions BundleSigning { get; set; } = new();

    public bool UsesOpa => string.Equals(Engine, "opa", StringComparison.OrdinalIgnoreCase);
}

/// <summary>The `Policy:*` keys the broker cannot start without, for the start-up check to list with every other wrong key.</summary>
internal sealed class PolicyOptionsValidator : IValidateOptions<PolicyOptions>
{
    public ValidateOptionsResult Validate(string? name, PolicyOptions options)
    {
        var section = PolicyOptions.SectionName;
        var failures = new List<string>();
        if (!options.UsesOpa && !string.Equals(options.Engine, "embedded", StringComparison.OrdinalIgnoreCase))
        {
            failures.Add($"{section}:Engine '{options.Engine}' is neither 'embedded' nor 'opa'");
        }
        if (options.UsesOpa && options.OpaUrl is null)
        {
            failures.Add($"{section}:OpaUrl is required when {section}:Engine is 'opa'");
        }
        if (options.TestTimeout <= TimeSpan.Zero)
        {
            failures.Add($"{section}:TestTimeout must be positive, not {options.TestTimeout}");
        }
        if (options.ImpactTimeout <= TimeSpan.Zero)
        {
            failures.Add($"{section}:ImpactTimeout must be positive, not {options.ImpactTimeout}");
        }
        if (double.IsNaN(options.MinimumTestCoverage) || options.MinimumTestCoverage is < 0 or > 100)
        {
            failures.Add($"{section}:MinimumTestCoverage is a percentage from 0 to 100, not {options.MinimumTestCoverage}");
        }
        failures.AddRange(options.Opa.Validate());
        failures.AddRange(options.BundleSigning.Validate($"{section}:BundleSigning"));
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
