using System.Globalization;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Policies.Bundles;
using BalticAI.Sovereignty.Api.Policies.Engines;
using BalticAI.Sovereignty.Rego;

namespace BalticAI.Sovereignty.Api.Policies.Lifecycle;

/// <summary>
/// What a bundle must pass before either engine loads it and before it is recorded: it compiles, it stays below
/// the broker's root, no data document sits where a rule is, its data documents match the schemas its METADATA
/// declares for them, and its tests pass. `balticai policy bundle` runs
/// the same checks before it prints an activation body, and `balticai policy test` all but the tests through
/// <see cref="Compile"/> before it runs and reports them.
/// </summary>
public static class BundleValidation
{
    /// <summary>
    /// Every check; a bundle whose tests pass is also refused when they reach less than <paramref name="minimumCoverage"/>
    /// percent of its lines (`Policy:MinimumTestCoverage`, 0 for no minimum), naming the lines no test reached.
    /// </summary>
    /// <returns>What its tests showed, as the activation records it.</returns>
    /// <exception cref="PolicyBundleInvalidException">Why the bundle is refused, error by error.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="testsCancelled"/> cut the test run short.</exception>
    public static BundleTests Validate(PolicyBundle bundle, RegoOptions options, CancellationToken testsCancelled, double minimumCoverage = 0) =>
        ValidateCompiled(bundle, options, testsCancelled, minimumCoverage).Tests;

    /// <summary><see cref="Validate"/>, also giving the policy it compiled and tested, for a caller that evaluates it next.</summary>
    public static (RegoPolicy Policy, BundleTests Tests) ValidateCompiled(PolicyBundle bundle, RegoOptions options, CancellationToken testsCancelled, double minimumCoverage = 0)
    {
        var policy = Compile(bundle, options);
        var coverage = new RegoCoverage();
        // A test cut short by testsCancelled ends the run (RunTests throws) instead of failing as the bundle's fault.
        var results = policy.RunTests(coverage, testsCancelled);
        var failed = results.Where(t => t.Failed).ToList();
        Refuse(failed.SelectMany(TestRefusal).ToList(), TestsRefusal(failed.Any(t => !t.Errored), failed.Any(t => t.Errored)));
        var tests = BundleTests.Of(results, coverage.Report(policy));
        if (tests.Coverage < minimumCoverage)
        {
            var minimum = minimumCoverage.ToString("0.##", CultureInfo.InvariantCulture);
            var reached = tests.Coverage.ToString("0.##", CultureInfo.InvariantCulture);
            throw new PolicyBundleInvalidException(
                $"the bundle's tests reach {reached}% of its lines, below the {minimum}% this broker requires (Policy:MinimumTestCoverage)",
                tests.NotCovered.Select(lines => "not reached by any test: " + lines).ToList());
        }

        return (policy, tests);
    }

    /// <summary>
    /// The refusal's detail says which way the tests did not pass, as `opa test` tells FAIL from ERROR: a false
    /// assertion asks for a policy change, an error (a conflict, a builtin error, the time limit) often for a fix to
    /// the test or the configured limits.
    /// </summary>
    private static string TestsRefusal(bool fail, bool error) => (fail, error) switch
    {
        (true, true) => "the bundle's tests fail and raise errors",
        (false, true) => "the bundle's tests raise errors",
        _ => "the bundle's tests fail",
    };

    /// <summary>At most this many failing cases of one partial object test are named, lest one test flood the refusal.</summary>
    private const int MaxCasesNamed = 10;

    /// <summary>
    /// A test that did not pass, named as `opa test` names it (FAIL, or ERROR with the error), then its failing cases
    /// indented below it as OPA's reporter indents them, each an error of its own so each reads on its own line.
    /// </summary>
    private static IEnumerable<string> TestRefusal(RegoTestResult test)
    {
        yield return $"{test.File}: {test.Name}: {test.Outcome}{(test.Error is null ? "" : " (" + test.Error + ")")}";
        var cases = RegoTestCase.Lines(test.Cases, all: false).ToList();
        foreach (var line in cases.Take(MaxCasesNamed))
        {
            yield return line;
        }

        if (cases.Count > MaxCasesNamed)
        {
            yield return $"  ... {cases.Count - MaxCasesNamed} more failing cases not shown";
        }
    }

    /// <summary>
    /// Every check but the tests, giving the compiled policy: `balticai policy test` runs its tests itself, to report
    /// each one, on exactly the policy activation would test.
    /// </summary>
    /// <exception cref="PolicyBundleInvalidException">
    /// The bundle does not compile, a package is outside the root, or a data document sits where a rule is.
    /// </exception>
    public static RegoPolicy Compile(PolicyBundle bundle, RegoOptions options)
    {
        var policy = CompileBelowRoot(bundle, options);
        Refuse(DataConflicts(policy, bundle.Data), "the data tree holds a document where a rule defines one");
        Refuse(DeclaredDataSchemas.Violations(policy, bundle.Data), "a data document does not match the schema the bundle's METADATA declares for it");
        return policy;
    }

    /// <exception cref="PolicyBundleInvalidException">The bundle does not compile, or a package is outside the root.</exception>
    private static RegoPolicy CompileBelowRoot(PolicyBundle bundle, RegoOptions options)
    {
        RegoPolicy policy;
        try
        {
            policy = RegoCompiler.Compile(bundle.Modules.Select(m => new RegoModule(m.Path, m.Source)), bundle.Data, options, PolicyInputSchema.Current, PolicyInputSchema.Schemas);
        }
        catch (RegoException e)
        {
            throw new PolicyBundleInvalidException("the policy bundle does not compile", e.Errors.Select(x => x.ToString()).ToList());
        }
        Refuse(BundleRoot.Violations(policy), BundleRoot.Refusal);
        return policy;
    }

    private static void Refuse(List<string> errors, string why)
    {
        if (errors.Count > 0)
        {
            throw new PolicyBundleInvalidException(why, errors);
        }
    }

    /// <summary>
    /// Rules whose document the data tree also holds (at the rule's path, or a value that is no object above it). The
    /// managed engine answered with the data, so a data document `access.decision: {allow: true}` overrode the rule
    /// that denied; OPA refuses such a bundle when it is loaded (its path-conflict check), so refuse it in both modes.
    /// </summary>
    private static List<string> DataConflicts(RegoPolicy policy, JsonObject data)
    {
        var conflicts = new List<string>();
        foreach (var path in policy.RulePaths())
        {
            JsonNode? node = data;
            for (var (depth, present) = (0, true); present; depth++)
            {
                if (depth == path.Count || node is not JsonObject inner)
                {
                    conflicts.Add($"rego_compile_error: conflicting rule for data path {string.Join('/', path)} found (the data tree holds {string.Join('/', path.Take(depth))})");
                    break;
                }
                present = inner.TryGetPropertyValue(path[depth], out node);
            }
        }
        return conflicts.Order(StringComparer.Ordinal).ToList();
    }
}
