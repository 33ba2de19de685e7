using BalticAI.Sovereignty.Rego.Evaluation;
using BalticAI.Sovereignty.Rego.Syntax;
using BalticAI.Sovereignty.Rego.Values;

namespace BalticAI.Sovereignty.Rego.Testing;

/// <summary>
/// Judges one test as OPA's tester judges it (runTest and subResults, open-policy-agent/opa): the document at the test's
/// name must be true, except for a partial object test (`test_x[name] if ...`), whose every case must be true.
/// </summary>
internal static class TestJudgement
{
    /// <summary>Passed, why not when it has nothing to say beyond failing, and the cases of a partial object test.</summary>
    public static (bool Passed, string? Error, IReadOnlyList<RegoTestCase> Cases) Judge(TestDefinition test, Evaluator evaluator)
    {
        var rule = test.Rule;
        var value = AtTestName(test, evaluator.DefinitionDocument(rule));
        if (!IsPartialObject(rule))
        {
            // A set, an object or a function's undefined reference: none is true, so none passes.
            return (value is BoolValue { Value: true }, value == null ? "undefined" : null, []);
        }

        var cases = new SortedDictionary<string, Case>(StringComparer.Ordinal);
        foreach (var (k, v) in ((ObjectValue)value!).Map)
        {
            cases[Key(k)] = Case.Of(v);
        }

        foreach (var reached in evaluator.ReachedCases(rule, rule.HeadRef[(test.NameAt + 1)..]))
        {
            Case.Reach(cases, reached.Select(Key).ToArray(), 0);
        }

        var results = cases.Select(c => c.Value.ToResult(c.Key)).ToList();
        return (results.All(c => c.Passed), null, results);
    }

    /// <summary>
    /// What OPA judges case by case: a rule whose head ends in a variable (`test_x[name]`, `test_x.group[name]`), which
    /// its parser gives a key and so a partial object document; `contains` makes a set of each leaf instead, and a head
    /// that ends in a constant (`test_x.foo`) makes one complete document, neither of which is true.
    /// </summary>
    private static bool IsPartialObject(Rule rule) =>
        rule.Kind == RuleKind.PartialObject && !rule.SetLeaf && rule.HeadRef[^1] is not ScalarTerm;

    /// <summary>The document at the test's name: the rule's own wrapped in the constant keys between the two.</summary>
    private static Value? AtTestName(TestDefinition test, Value? doc)
    {
        var depth = test.Rule.Module.Package.Length + test.NameAt + 1;
        var path = test.Rule.Path;
        for (var i = Math.Min(path.Length, depth); i < depth; i++)
        {
            // A number in the head's constant prefix (`a[1].test_x`) is no step of the rule's path: look inside.
            var key = ((ScalarTerm)test.Rule.HeadRef[i - test.Rule.Module.Package.Length]).Value;
            doc = doc is ObjectValue o && o.Map.TryGetValue(key, out var inner) ? inner : null;
        }

        for (var i = path.Length - 1; i >= depth; i--)
        {
            // An undefined document below the name still leaves the name an (empty) object, as any rule-tree prefix is.
            doc = new ObjectValue(doc == null ? [] : new Dictionary<Value, Value> { [new StringValue(path[i])] = doc });
        }

        return doc;
    }

    /// <summary>A key as OPA names a case: a string as itself, anything else as its JSON.</summary>
    private static string Key(Value k) => k is StringValue s ? s.Value : ValueFormatter.ToJson(k);

    private sealed class Case
    {
        private bool failed;
        private readonly SortedDictionary<string, Case> cases = new(StringComparer.Ordinal);

        public static Case Of(Value v)
        {
            var c = new Case();
            if (v is ObjectValue o)
            {
                foreach (var (k, inner) in o.Map)
                {
                    c.cases[Key(k)] = Of(inner);
                }

                c.failed = c.cases.Values.Any(x => x.failed);
            }
            else
            {
                c.failed = v is not BoolValue { Value: true };
            }

            return c;
        }

        /// <summary>A case reached but never given a value fails, and so does every case above it.</summary>
        public static bool Reach(SortedDictionary<string, Case> cases, string[] path, int i)
        {
            if (i >= path.Length)
            {
                return true;
            }

            if (!cases.TryGetValue(path[i], out var c))
            {
                c = new Case { failed = true };
                cases[path[i]] = c;
            }

            if (i == path.Length - 1)
            {
                return c.failed;
            }

            var fail = Reach(c.cases, path, i + 1);
            c.failed |= fail;
            return fail;
        }

        public RegoTestCase ToResult(string name) => new(name, !failed, cases.Select(c => c.Value.ToResult(c.Key)).ToList());
    }
}
