using System.Text.RegularExpressions;
using BalticAI.Sovereignty.Rego.Syntax;
using BalticAI.Sovereignty.Rego.Values;

namespace BalticAI.Sovereignty.Rego.Compilation.Typing;

/// <summary>How errors name what they found: references as written, and the key a typo most likely meant.</summary>
internal sealed partial class InputChecker
{
    /// <summary>What the reference reached instead: the nearest key it has, its keys, or what kind of value it is.</summary>
    private static string Hint(RegoType type, string target, Value? key)
    {
        if (type is not ObjectType { Dynamic: null } closed)
        {
            return $" ({target} is {type.Describe()})";
        }

        var keys = closed.Properties.Keys.Order(StringComparer.Ordinal).ToList();
        if (key is StringValue s && keys.Where(k => Distance(k, s.Value) <= Math.Max(1, s.Value.Length / 4)).MinBy(k => Distance(k, s.Value)) is { } near)
        {
            return $" (did you mean {target}{PathText(new StringValue(near))}?)";
        }

        return keys.Count == 0 ? $" ({target} has no keys)" : $" ({target} has {string.Join(", ", keys.Take(12).Select(k => '"' + k + '"'))}{(keys.Count > 12 ? ", ..." : "")})";
    }

    private static int Distance(string a, string b)
    {
        var row = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var (diagonal, row0) = (row[0], i);
            row[0] = row0;
            for (var j = 1; j <= b.Length; j++)
            {
                var above = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), diagonal + (char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1));
                diagonal = above;
            }
        }

        return row[b.Length];
    }

    private static string RefText(RefTerm r, int length) => TermText(r.Head) + string.Concat(r.Path.Take(length).Select(p => p is ScalarTerm c ? PathText(c.Value) : $"[{TermText(p)}]"));

    private static string TermText(Term t) => t switch
    {
        VarTerm v => v.IsWildcard ? "_" : v.Name,
        ScalarTerm c => c.Value.ToString(),
        RefTerm r => RefText(r, r.Path.Length),
        CallTerm c => c.Name + "(...)",
        _ => "...",
    };

    private static string PathText(Value key) => key is StringValue s && Identifier().IsMatch(s.Value) ? "." + s.Value : $"[{key}]";

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex Identifier();
}
