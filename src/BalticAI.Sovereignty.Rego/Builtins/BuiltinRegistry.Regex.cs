using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;
using BalticAI.Sovereignty.Rego.Values;
using static BalticAI.Sovereignty.Rego.Builtins.Args;

namespace BalticAI.Sovereignty.Rego.Builtins;

/// <summary>
/// Regular expressions with Go's regexp semantics (OPA's topdown/regex.go): RE2 syntax rewritten by
/// <see cref="Re2Syntax"/>, run on .NET's linear-time engine, and Go's rules for successive matches. A pattern with
/// \b or \B runs on the backtracking engine instead, which Go's linear time does not bound: the 1 s match timeout
/// does, ending the call with a builtin error.
/// </summary>
internal static partial class BuiltinRegistry
{
    private static readonly ConcurrentDictionary<string, GoRegex> GoRegexCache = new(StringComparer.Ordinal);

    private static void RegisterRegex()
    {
        Add("regex.match", 2, a => BoolValue.Of(Compile(Str(a, 0)).IsMatch(Str(a, 1))));
        Add("re_match", 2, a => BoolValue.Of(Compile(Str(a, 0)).IsMatch(Str(a, 1))));
        Add("regex.is_valid", 1, a =>
        {
            if (a[0] is not StringValue s)
            {
                return BoolValue.False;
            }

            try
            {
                Compile(s.Value);
                return BoolValue.True;
            }
            catch (BuiltinException)
            {
                return BoolValue.False;
            }
        });
        Add("regex.split", 2, a => new ArrayValue([.. GoSplit(Compile(Str(a, 0)).Regex, Str(a, 0), Str(a, 1)).Select(s => (Value)S(s))]));
        Add("regex.replace", 3, a =>
        {
            var re = Compile(Str(a, 1));
            var s = Str(a, 0);
            var template = Str(a, 2);
            var sb = new StringBuilder();
            var last = 0;
            foreach (var m in GoMatches(re.Regex, s, -1))
            {
                sb.Append(s, last, m.Index - last);
                Expand(sb, template, re, m);
                last = m.Index + m.Length;
            }

            return S(sb.Append(s, last, s.Length - last).ToString());
        });
        Add("regex.find_n", 3, a => new ArrayValue([.. GoMatches(Compile(Str(a, 0)).Regex, Str(a, 1), Int(a, 2)).Select(m => (Value)S(m.Value))]));
        Add("regex.find_all_string_submatch_n", 3, a =>
            new ArrayValue([.. GoMatches(Compile(Str(a, 0)).Regex, Str(a, 1), Int(a, 2))
                .Select(m => (Value)new ArrayValue([.. m.Groups.Cast<Group>().Select(g => (Value)S(g.Value))]))]));
    }

    private static GoRegex Compile(string pattern)
    {
        if (GoRegexCache.TryGetValue(pattern, out var r))
        {
            return r;
        }

        try
        {
            var groups = new List<string?>();
            var rewritten = Re2Syntax.ToDotNet(pattern, groups);
            var engine = rewritten.NeedsBacktracking ? RegexOptions.None : RegexOptions.NonBacktracking;
            var regex = new Regex(rewritten.Pattern, engine | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
            if (GoRegexCache.Count > MaxCachedPatterns)
            {
                GoRegexCache.Clear();
            }

            return GoRegexCache[pattern] = new GoRegex(regex, [.. groups]);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            throw BuiltinException.Error("error parsing regexp: " + e.Message);
        }
    }

    /// <summary>A compiled pattern and its capturing groups' names, by Go group number minus one.</summary>
    private sealed record GoRegex(Regex Regex, string?[] Names)
    {
        public bool IsMatch(string s) => Regex.IsMatch(s);
    }

    /// <summary>
    /// Successive non-overlapping matches as Go's FindAll gives them: an empty match right after the
    /// previous match is skipped (.NET's Matches keeps it), and n &lt; 0 means all.
    /// </summary>
    private static IEnumerable<Match> GoMatches(Regex re, string s, int n)
    {
        var prevEnd = -1;
        for (int pos = 0, found = 0; (n < 0 || found < n) && pos <= s.Length;)
        {
            var m = re.Match(s, pos);
            if (!m.Success)
            {
                yield break;
            }

            var end = m.Index + m.Length;
            var accept = true;
            if (end == pos)
            {
                accept = m.Index != prevEnd;
                pos += pos + 1 < s.Length && char.IsSurrogatePair(s[pos], s[pos + 1]) ? 2 : 1;
            }
            else
            {
                pos = end;
            }

            prevEnd = end;
            if (accept)
            {
                found++;
                yield return m;
            }
        }
    }

    /// <summary>Go's Regexp.Split(s, -1): unlike .NET's Split, captured groups are not spliced into the result.</summary>
    private static List<string> GoSplit(Regex re, string pattern, string s)
    {
        if (pattern.Length > 0 && s.Length == 0)
        {
            return [string.Empty];
        }

        var parts = new List<string>();
        int beg = 0, end = 0;
        foreach (var m in GoMatches(re, s, -1))
        {
            end = m.Index;
            if (m.Index + m.Length != 0)
            {
                parts.Add(s[beg..end]);
            }

            beg = m.Index + m.Length;
        }

        if (end != s.Length)
        {
            parts.Add(s[beg..]);
        }

        return parts;
    }

    /// <summary>
    /// Go's Regexp.Expand: $name or ${name} where name is the longest run of letters, digits and '_'
    /// ("$1x" names group "1x", which does not exist, so it expands to nothing), $$ is '$', and a '$'
    /// not followed by a name is copied as is. .NET's own substitutions ($&amp;, $`, $1x as $1 then x) differ.
    /// </summary>
    private static void Expand(StringBuilder sb, string template, GoRegex re, Match m)
    {
        for (var i = 0; i < template.Length; i++)
        {
            if (template[i] != '$' || i + 1 >= template.Length)
            {
                sb.Append(template[i]);
                continue;
            }

            if (template[i + 1] == '$')
            {
                sb.Append('$');
                i++;
                continue;
            }

            var braced = template[i + 1] == '{';
            var start = braced ? i + 2 : i + 1;
            var stop = start;
            while (stop < template.Length && (char.IsAsciiLetterOrDigit(template[stop]) || template[stop] == '_'))
            {
                stop++;
            }

            if (stop == start || (braced && (stop >= template.Length || template[stop] != '}')))
            {
                sb.Append('$');
                continue;
            }

            var name = template[start..stop];
            var number = name.All(char.IsAsciiDigit) ? (int.TryParse(name, out var num) && num <= re.Names.Length ? num : -1)
                : Array.IndexOf(re.Names, name) is >= 0 and var at ? at + 1 : -1;
            var group = number >= 0 ? m.Groups[number] : null;
            if (group is { Success: true })
            {
                sb.Append(group.Value);
            }

            i = braced ? stop : stop - 1;
        }
    }
}
