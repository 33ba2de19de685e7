using BalticAI.Sovereignty.Rego.Syntax;

namespace BalticAI.Sovereignty.Rego.Testing;

/// <summary>One definition of a `test_` rule, run on its own under the name `opa test` gives it.</summary>
internal sealed record TestDefinition(string Name, string File, Rule Rule)
{
    /// <summary>
    /// Every definition of every complete rule whose name starts with `test_`, numbered as OPA's tester numbers them
    /// (rewriteDuplicateTestNames, open-policy-agent/opa#982): the first definition at a path keeps its name, the
    /// next ones are `test_a#01`, `test_a#02`, ... counted over every module of the package, default rules included.
    /// OPA counts modules in Go map order, which varies from run to run; files are taken in path order here so
    /// the numbers do not. Within a file, definitions count in source order, as in OPA.
    /// </summary>
    public static IEnumerable<TestDefinition> In(IEnumerable<Module> modules)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var module in modules.OrderBy(m => m.File, StringComparer.Ordinal))
        {
            foreach (var rule in module.Rules.Where(r => r.Kind == RuleKind.Complete && r.Path[^1].StartsWith("test_", StringComparison.Ordinal)))
            {
                var path = string.Join('.', rule.Path);
                var n = seen.GetValueOrDefault(path);
                seen[path] = n + 1;
                yield return new TestDefinition(n == 0 ? "data." + path : Renamed(rule, n), module.File, rule);
            }
        }
    }

    /// <summary>
    /// As OPA prints the renamed head: a name that is the head's first term stays a variable (`test_a#01`), one
    /// further along a ref head becomes a string key (`a.b["test_a#01"]`).
    /// </summary>
    private static string Renamed(Rule rule, int n)
    {
        var name = $"{rule.Path[^1]}#{n:00}";
        var prefix = "data." + string.Join('.', rule.Path[..^1]);
        return rule.HeadRef.Length == 1 ? $"{prefix}.{name}" : $"{prefix}[\"{name}\"]";
    }
}
