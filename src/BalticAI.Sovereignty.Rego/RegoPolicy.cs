using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Rego.Compilation;
using BalticAI.Sovereignty.Rego.Evaluation;
using BalticAI.Sovereignty.Rego.Syntax;
using BalticAI.Sovereignty.Rego.Testing;
using BalticAI.Sovereignty.Rego.Values;

namespace BalticAI.Sovereignty.Rego;

/// <summary>
/// A compiled policy. Immutable and safe to evaluate from many threads at once: each evaluation gets its own
/// state, compiled queries are cached per query text.
/// </summary>
public sealed class RegoPolicy
{
    private readonly ConcurrentDictionary<string, CompiledQuery> queries = new(StringComparer.Ordinal);

    internal RegoPolicy(PolicyModel model, RegoOptions options)
    {
        Model = model;
        Options = options;
    }

    public RegoOptions Options { get; }

    internal PolicyModel Model { get; }

    /// <summary>The policy's METADATA blocks, as <see cref="RegoAnnotations.Read"/> lists them.</summary>
    public RegoAnnotations Annotations() => RegoAnnotations.From(Model.Compiler);

    /// <summary>Evaluates a query such as "data.balticai.decision" and returns its value (undefined when no result).</summary>
    public RegoResult Evaluate(string query, JsonNode? input = null, CancellationToken ct = default) =>
        Evaluate(query, input == null ? null : JsonInterop.FromNode(input), ct);

    /// <summary>Evaluates with input converted ahead of time (fastest for repeated evaluation).</summary>
    public RegoResult Evaluate(string query, RegoInput input, CancellationToken ct = default) => Evaluate(query, input.Value, ct);

    internal RegoResult Evaluate(string query, Value? input, CancellationToken ct)
    {
        var q = Prepare(query);
        var evaluator = new Evaluator(Model, input, Options, ct);
        if (q.Body.Exprs is [{ Kind: ExprKind.Term, Negated: false, With.Count: 0 } single])
        {
            return new RegoResult(evaluator.FirstValue(single.Terms[0]!, q.SlotCount));
        }

        var rows = evaluator.Query(q);
        return rows.Count == 0 ? RegoResult.Undefined : new RegoResult(BoolValue.True);
    }

    /// <summary>Runs a query and returns every solution as variable bindings (JSON), like `opa eval`.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, JsonNode?>> Query(string query, JsonNode? input = null, CancellationToken ct = default) =>
        QueryValues(query, input == null ? null : JsonInterop.FromNode(input), Options, ct)
            .Select(row => (IReadOnlyDictionary<string, JsonNode?>)row.ToDictionary(kv => kv.Key, kv => JsonInterop.ToNode(kv.Value)))
            .ToList();

    /// <summary>Runs a query and returns results in `opa eval`'s shape: expressions (value, text, location) and bindings.</summary>
    public IReadOnlyList<JsonObject> QueryWithExpressions(string query, JsonNode? input = null, CancellationToken ct = default)
    {
        var q = Prepare(query);
        var evaluator = new Evaluator(Model, input == null ? null : JsonInterop.FromNode(input), Options, ct);
        var results = new List<JsonObject>();
        foreach (var (row, values) in evaluator.QueryWithExpressionValues(q))
        {
            var expressions = new JsonArray();
            for (var i = 0; i < q.Body.Exprs.Count && i < values.Length; i++)
            {
                var e = q.Body.Exprs[i];
                expressions.Add(new JsonObject
                {
                    ["value"] = JsonInterop.ToNode(values[i]),
                    ["text"] = e.Text,
                    ["location"] = new JsonObject { ["row"] = e.Loc.Line, ["col"] = e.Loc.Column },
                });
            }

            var result = new JsonObject { ["expressions"] = expressions };
            if (row.Count > 0)
            {
                result["bindings"] = new JsonObject(row.Select(kv => KeyValuePair.Create(kv.Key, JsonInterop.ToNode(kv.Value))));
            }

            results.Add(result);
        }

        return results;
    }

    internal List<Dictionary<string, Value>> QueryValues(string query, Value? input, RegoOptions options, CancellationToken ct) =>
        new Evaluator(Model, input, options, ct).Query(Prepare(query));

    /// <summary>The path below `data` of every document a rule defines (`["balticai", "access", "decision"]`), in no particular order.</summary>
    public IReadOnlyList<IReadOnlyList<string>> RulePaths()
    {
        var paths = new List<IReadOnlyList<string>>();
        var pending = new Stack<RuleNode>([Model.Root]);
        while (pending.TryPop(out var node))
        {
            if (node.HasRules)
            {
                paths.Add(node.Path);
            }
            foreach (var child in node.Children.Values)
            {
                pending.Push(child);
            }
        }
        return paths;
    }

    /// <summary>Each module's file and package path below `data` (`package balticai.access` is `["balticai", "access"]`).</summary>
    public IReadOnlyList<(string File, IReadOnlyList<string> Package)> Packages() =>
        Model.Compiler.Modules.Select(m => (m.File, (IReadOnlyList<string>)m.Package)).ToList();

    /// <summary>
    /// Runs every test `opa test` would run, in every module whatever its file is called (see
    /// <see cref="TestDefinition.In"/>). Activation and `balticai policy test` both discover tests here, so they run
    /// the same set. Each definition is evaluated alone (a rule defined several times is several tests, as in OPA,
    /// open-policy-agent/opa#982) and is reported under the file that holds it and the name OPA gives it. A test
    /// passes only when its document is true: a partial set never is, a function named `test_` names no document, a
    /// ref head that goes on past the test's name (`test_x.foo := true`) makes it an object. A partial object test
    /// (`test_x[name] if ...`) is judged case by case instead and passes when every case does, none when it has none.
    /// `todo_test_` rules are reported skipped without being evaluated.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> cut a test short: the run stops there rather than
    /// report that test as failed. The evaluator looks at <paramref name="ct"/> every 1024 steps, so tests shorter than
    /// that still finish once it is cancelled, as activation has always let them.</exception>
    public IReadOnlyList<RegoTestResult> RunTests(CancellationToken ct = default) => RunTests(null, ct);

    /// <summary>Runs the tests as <see cref="RunTests(CancellationToken)"/> does, and records what they reach in <paramref name="coverage"/>.</summary>
    public IReadOnlyList<RegoTestResult> RunTests(RegoCoverage? coverage, CancellationToken ct = default)
    {
        var results = new List<RegoTestResult>();
        foreach (var test in TestDefinition.In(Model.Compiler.Modules))
        {
            if (test.Skip)
            {
                results.Add(new RegoTestResult(test.Name, test.File, false, null, TimeSpan.Zero) { Skipped = true });
                continue;
            }

            var sw = Stopwatch.StartNew();
            try
            {
                var (passed, error, cases) = TestJudgement.Judge(test, new Evaluator(Model, null, Options, ct) { Coverage = coverage });
                results.Add(new RegoTestResult(test.Name, test.File, passed, error, sw.Elapsed) { Cases = cases });
            }
            catch (RegoException e) when (ct.IsCancellationRequested)
            {
                throw new OperationCanceledException(e.Message, e, ct);
            }
            catch (RegoException e)
            {
                results.Add(new RegoTestResult(test.Name, test.File, false, e.Message, sw.Elapsed) { Errored = true });
            }
        }

        return results;
    }

    private CompiledQuery Prepare(string query)
    {
        if (queries.TryGetValue(query, out var compiled))
        {
            return compiled;
        }

        // Bounded so callers passing many distinct query strings cannot grow memory without limit.
        if (queries.Count >= MaxCachedQueries)
        {
            queries.Clear();
        }

        return queries.GetOrAdd(query, q => Model.Compiler.CompileQuery(Parser.ParseQuery(q)));
    }

    private const int MaxCachedQueries = 1024;
}
