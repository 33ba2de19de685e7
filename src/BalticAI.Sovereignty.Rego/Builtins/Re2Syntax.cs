using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace BalticAI.Sovereignty.Rego.Builtins;

/// <summary>
/// Rewrites a Go RE2 pattern (what OPA's regex builtins take) into a .NET pattern with the same meaning.
/// Where the two dialects read the same text differently, .NET would accept input that OPA rejects:
/// RE2's \d \w \s are ASCII-only (.NET's match any Unicode digit, letter or space) and RE2's $ outside
/// (?m) is the end of the text (.NET's also matches before a final "\n", so `^[a-z]+$` took "abc\n").
/// RE2's \b and \B are ASCII word boundaries too, spelled as lookarounds, which .NET's linear-time engine lacks: such a
/// pattern has to run on the backtracking engine (<see cref="Rewritten.NeedsBacktracking"/>).
/// See https://github.com/google/re2/wiki/Syntax and Go's regexp/syntax documentation.
/// </summary>
internal static class Re2Syntax
{
    private const string Digit = "0-9";
    private const string Word = "0-9A-Za-z_";
    private const string Space = "\\t\\n\\f\\r ";

    // Complements written as ranges so they also work inside a bracket expression.
    private const string NotDigit = "\\x00-/:-\\uFFFF";
    private const string NotWord = "\\x00-/:-@\\[-\\^`{-\\uFFFF";
    private const string NotSpace = "\\x00-\\x08\\x0B\\x0E-\\x1F!-\\uFFFF";

    // Case-sensitive whatever (?i) says: RE2 decides a boundary by ASCII word characters alone, while .NET would fold
    // [A-Za-z] to take the Kelvin sign for a k.
    private const string WordBoundary = "(?-i:(?<=[" + Word + "])(?![" + Word + "])|(?<![" + Word + "])(?=[" + Word + "]))";
    private const string NotWordBoundary = "(?-i:(?<=[" + Word + "])(?=[" + Word + "])|(?<![" + Word + "])(?![" + Word + "]))";

    private static readonly Dictionary<string, string> PosixClasses = new(StringComparer.Ordinal)
    {
        ["alpha"] = "A-Za-z", ["digit"] = Digit, ["alnum"] = "0-9A-Za-z", ["upper"] = "A-Z", ["lower"] = "a-z",
        ["space"] = "\\t\\n\\v\\f\\r ", ["xdigit"] = "0-9A-Fa-f", ["word"] = Word, ["punct"] = "!-/:-@\\[-`{-~",
        ["blank"] = "\\t ", ["cntrl"] = "\\x00-\\x1F\\x7F", ["print"] = " -~", ["graph"] = "!-~", ["ascii"] = "\\x00-\\x7F",
    };

    /// <summary>A .NET pattern, and whether it holds a lookaround, which the non-backtracking engine refuses.</summary>
    public readonly record struct Rewritten(string Pattern, bool NeedsBacktracking);

    /// <summary>
    /// The .NET pattern; <paramref name="groups"/> receives each capturing group's name (null if unnamed) in
    /// the order of its opening parenthesis. Named groups become unnamed ones because .NET numbers named
    /// groups after all unnamed ones, while Go numbers every group by position.
    /// </summary>
    public static Rewritten ToDotNet(string pattern, List<string?> groups)
    {
        var sb = new StringBuilder(pattern.Length + 16);
        var outer = new Stack<Flags>();
        var flags = default(Flags);
        var boundaries = false;
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            switch (c)
            {
                case '\\' when i + 1 < pattern.Length && pattern[i + 1] is 'b' or 'B':
                    sb.Append(pattern[i + 1] == 'b' ? WordBoundary : NotWordBoundary);
                    boundaries = true;
                    i++;
                    break;
                case '\\' when i + 1 < pattern.Length && pattern[i + 1] is 'D' or 'W' or 'S':
                    sb.Append(OneRune(pattern[i + 1] switch { 'D' => NotDigit, 'W' => NotWord, _ => NotSpace }));
                    i++;
                    break;
                case '\\':
                    i = Escape(pattern, i, sb, inClass: false);
                    break;
                case '[':
                    var cls = new StringBuilder();
                    var end = Class(pattern, i, cls);
                    var negated = cls.Length > 1 && cls[1] == '^';
                    sb.Append(negated && !pattern.AsSpan(i, end - i).ContainsAnyInRange('\uD800', '\uDFFF') ? OneRune(cls.ToString(2, cls.Length - 3), negated: true) : cls.ToString());
                    i = end;
                    break;
                case '.':
                    sb.Append(OneRune(flags.DotAll ? "\\s\\S" : "\\n", negated: !flags.DotAll));
                    break;
                case '$':
                    sb.Append(flags.Multiline ? "$" : "\\z");
                    break;
                case '(':
                    var before = flags;
                    var next = Group(pattern, i, sb, groups, ref flags);
                    if (next == i || pattern[next] != ')')
                    {
                        outer.Push(before);
                    }

                    i = next;
                    break;
                case ')':
                    flags = outer.Count > 0 ? outer.Pop() : flags;
                    sb.Append(c);
                    break;
                default:
                    sb.Append(c);
                    break;
            }
        }

        return new Rewritten(sb.ToString(), boundaries);
    }

    /// <summary>
    /// A class that matches one code point, as RE2's '.', negated classes and \D \W \S do: .NET matches one
    /// UTF-16 unit, so `^.{1,3}$` took "🙂🙂" for four characters. A surrogate pair is one match; lone
    /// surrogates are left out of the class.
    /// </summary>
    private static string OneRune(string body, bool negated = false)
    {
        var set = body.EndsWith('-') && !body.EndsWith("\\-", StringComparison.Ordinal) ? body[..^1] + "\\-" : body;
        return "(?:[\\uD800-\\uDBFF][\\uDC00-\\uDFFF]|[" + (negated ? "^" : string.Empty) + set + "-[\\uD800-\\uDFFF]])";
    }

    /// <summary>Copies a group opener; a bare flag group such as (?m) changes the flags until the enclosing group ends.</summary>
    private static int Group(string p, int i, StringBuilder sb, List<string?> groups, ref Flags flags)
    {
        if (i + 1 >= p.Length || p[i + 1] != '?')
        {
            groups.Add(null);
            sb.Append('(');
            return i;
        }

        var nameAt = string.CompareOrdinal(p, i + 2, "P<", 0, 2) == 0 ? i + 4
            : i + 2 < p.Length && p[i + 2] == '<' && i + 3 < p.Length && p[i + 3] is not ('=' or '!') ? i + 3 : -1;
        if (nameAt > 0)
        {
            var close = p.IndexOf('>', nameAt);
            if (close <= nameAt || !p[nameAt..close].All(ch => char.IsAsciiLetterOrDigit(ch) || ch == '_'))
            {
                throw BuiltinException.Error("error parsing regexp: invalid named capture");
            }

            groups.Add(p[nameAt..close]);
            sb.Append('(');
            return close;
        }

        var j = i + 2;
        var on = true;
        var set = flags;
        while (j < p.Length && p[j] is 'i' or 'm' or 's' or 'U' or '-')
        {
            on = p[j] != '-' && on;
            set = p[j] switch { 'm' => set with { Multiline = on }, 's' => set with { DotAll = on }, _ => set };
            j++;
        }

        if (j >= p.Length || p[j] is not (')' or ':'))
        {
            sb.Append('(');
            return i;
        }

        flags = set;
        sb.Append(p, i, j - i + 1);
        return j;
    }

    /// <summary>RE2's (?m) and (?s), which decide what $ and . become.</summary>
    private readonly record struct Flags(bool Multiline, bool DotAll);

    private static int Class(string p, int i, StringBuilder sb)
    {
        sb.Append('[');
        i++;
        if (i < p.Length && p[i] == '^')
        {
            sb.Append('^');
            i++;
        }

        for (var first = true; i < p.Length; i++, first = false)
        {
            var c = p[i];
            if (c == ']' && !first)
            {
                sb.Append(']');
                return i;
            }

            if (c == '[' && i + 1 < p.Length && p[i + 1] == ':' && p.IndexOf(":]", i + 2, StringComparison.Ordinal) is var end and > 0 &&
                PosixClasses.TryGetValue(p[(i + 2)..end], out var posix))
            {
                sb.Append(posix);
                i = end + 1;
            }
            else if (c == '\\')
            {
                i = Escape(p, i, sb, inClass: true);
            }
            else
            {
                // A literal bracket is escaped so .NET never reads "-[" as class subtraction.
                sb.Append(c is '[' or ']' ? "\\" + c : c.ToString());
            }
        }

        throw BuiltinException.Error("error parsing regexp: missing closing ]");
    }

    private static int Escape(string p, int i, StringBuilder sb, bool inClass)
    {
        if (i + 1 >= p.Length)
        {
            throw BuiltinException.Error("error parsing regexp: trailing backslash at end of expression");
        }

        var e = p[i + 1];
        string? set = e switch
        {
            'd' => Digit, 'w' => Word, 's' => Space, 'D' => NotDigit, 'W' => NotWord, 'S' => NotSpace, _ => null,
        };
        if (set != null)
        {
            sb.Append(inClass ? set : "[" + set + "]");
            return i + 1;
        }

        switch (e)
        {
            case 'Z':
                throw BuiltinException.Error("error parsing regexp: invalid escape sequence: \\Z");
            case 'b' or 'B' when inClass:
                // Go's parser has no backspace escape, so that [\b] is not read as Perl reads it (a backspace).
                throw BuiltinException.Error($"error parsing regexp: invalid escape sequence: `\\{e}`");
            case 'Q':
                var stop = p.IndexOf("\\E", i + 2, StringComparison.Ordinal);
                var literal = stop < 0 ? p[(i + 2)..] : p[(i + 2)..stop];
                sb.Append(inClass ? EscapeInClass(literal) : Regex.Escape(literal));
                return stop < 0 ? p.Length - 1 : stop + 1;
            case 'p' or 'P' when i + 2 < p.Length && p[i + 2] != '{':
                sb.Append('\\').Append(e).Append('{').Append(p[i + 2]).Append('}');
                return i + 2;
            case 'x' when i + 2 < p.Length && p[i + 2] == '{':
                var close = p.IndexOf('}', i + 3);
                if (close < 0 || !int.TryParse(p.AsSpan(i + 3, close - i - 3), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var cp) ||
                    cp > 0x10FFFF || cp is >= 0xD800 and <= 0xDFFF)
                {
                    throw BuiltinException.Error("error parsing regexp: invalid escape sequence: " + p[i..Math.Min(p.Length, close < 0 ? p.Length : close + 1)]);
                }

                foreach (var unit in char.ConvertFromUtf32(cp))
                {
                    sb.Append("\\u").Append(((int)unit).ToString("X4", CultureInfo.InvariantCulture));
                }

                return close;
            default:
                sb.Append('\\').Append(e);
                return i + 1;
        }
    }

    private static string EscapeInClass(string literal) =>
        string.Concat(literal.Select(ch => ch is '\\' or ']' or '[' or '^' or '-' ? "\\" + ch : ch.ToString()));
}
