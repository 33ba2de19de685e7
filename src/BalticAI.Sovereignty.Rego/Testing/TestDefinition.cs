using BalticAI.Sovereignty.Rego.Syntax;
using BalticAI.Sovereignty.Rego.Values;

namespace BalticAI.Sovereignty.Rego.Testing;

/// <summary>
/// One rule definition `opa test` runs as a test, under the name it gives it. <paramref name="NameAt"/> is the index in
/// the rule's head of the term that made it a test: the test's document is the head up to that term, and the terms
/// after it (`test_x[case]`, `test_x.foo`) are keys inside that document.
/// </summary>
internal sealed record TestDefinition(string Name, string File, Rule Rule, int NameAt, bool Skip)
{
    private const string TestPrefix = "test_";
    private const string SkipPrefix = "todo_test_";

    /// <summary>
    /// Every definition of every rule, of any kind, whose head names a test (tester.shouldRun, open-policy-agent/opa):
    /// a term of the head's ground prefix, its first name or a string after it, starting with `test_` or `todo_test_`.
    /// Tests are numbered as OPA's tester numbers them (rewriteDuplicateTestNames, open-policy-agent/opa#982): the first
    /// definition at a test path keeps its name, the next are `test_a#01`, `test_a#02`, ... counted over every module of
    /// the package, default rules included; `todo_test_` rules are never renumbered. OPA counts modules in Go map order,
    /// which varies from run to run; files are taken in path order here so the numbers do not. Within a file,
    /// definitions count in source order, as in OPA.
    /// </summary>
    public static IEnumerable<TestDefinition> In(IEnumerable<Module> modules)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var module in modules.OrderBy(m => m.File, StringComparer.Ordinal))
        {
            foreach (var rule in module.Rules)
            {
                if (NameIndex(rule.HeadRef) is not { } at)
                {
                    continue;
                }

                var pkg = "data." + string.Join('.', module.Package);
                var head = rule.HeadRef[..(at + 1)];
                var name = TermName(head[^1]);
                if (name.StartsWith(SkipPrefix, StringComparison.Ordinal))
                {
                    yield return new TestDefinition(pkg + Format(head, null), module.File, rule, at, Skip: true);
                    continue;
                }

                var key = pkg + Format(head, null);
                var n = seen.GetValueOrDefault(key);
                seen[key] = n + 1;
                yield return new TestDefinition(pkg + Format(head, n == 0 ? null : $"{name}#{n:00}"), module.File, rule, at, Skip: false);
            }
        }
    }

    /// <summary>The index of the first term of the head's ground prefix that names a test, or null when none does.</summary>
    private static int? NameIndex(Term[] head)
    {
        for (var i = 0; i < head.Length && (i == 0 || head[i] is ScalarTerm); i++)
        {
            var name = TermName(head[i]);
            if (name.StartsWith(TestPrefix, StringComparison.Ordinal) || name.StartsWith(SkipPrefix, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return null;
    }

    private static string TermName(Term t) => t switch
    {
        VarTerm v => v.Name,
        ScalarTerm { Value: StringValue s } => s.Value,
        _ => string.Empty,
    };

    /// <summary>
    /// The head as OPA prints a ref, after the package: a name that is the head's first term stays a variable
    /// (`.test_a#01`), one further along a ref head is a string key unless it reads as a name (`.a.b["test_a#01"]`).
    /// </summary>
    private static string Format(Term[] head, string? renamed)
    {
        var text = "." + (head.Length == 1 && renamed != null ? renamed : TermName(head[0]));
        for (var i = 1; i < head.Length; i++)
        {
            var value = i == head.Length - 1 && renamed != null ? new StringValue(renamed) : ((ScalarTerm)head[i]).Value;
            text += value is StringValue s && IsName(s.Value) ? "." + s.Value : $"[{ValueFormatter.ToJson(value)}]";
        }

        return text;
    }

    private static bool IsName(string s) =>
        s.Length > 0 && (char.IsAsciiLetter(s[0]) || s[0] == '_') && s.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
