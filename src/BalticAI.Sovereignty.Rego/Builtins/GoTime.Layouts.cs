using System.Collections.Concurrent;
using System.Text;

namespace BalticAI.Sovereignty.Rego.Builtins;

/// <summary>Layout tokens: the reference-time elements Go recognises, split out of a layout once and cached.</summary>
internal static partial class GoTime
{
    private static readonly string[] Tokens =
    [
        "January", "Jan", "Monday", "Mon", "MST", "2006", "002", "01", "02", "03", "04", "05", "06", "15", "_2",
        "-07:00:00", "-070000", "-07:00", "-0700", "-07", "Z07:00:00", "Z070000", "Z07:00", "Z0700", "Z07", "PM", "pm",
        "1", "2", "3", "4", "5",
    ];

    private const int MaxCachedLayouts = 1000;
    private static readonly ConcurrentDictionary<string, (string Token, bool IsStd)[]> LayoutCache = new(StringComparer.Ordinal);

    /// <summary>
    /// Tokenized once per layout: policies use a handful (often RFC 3339 on every decision), and tokenizing
    /// allocates a list, a builder and each literal. Bounded so arbitrary layouts from input cannot grow it.
    /// </summary>
    private static (string Token, bool IsStd)[] LayoutTokens(string layout)
    {
        var resolved = Resolve(layout);
        if (LayoutCache.TryGetValue(resolved, out var tokens))
        {
            return tokens;
        }

        if (LayoutCache.Count >= MaxCachedLayouts)
        {
            LayoutCache.Clear();
        }

        return LayoutCache.GetOrAdd(resolved, [.. Tokenize(resolved)]);
    }

    /// <summary>Splits a layout into tokens: known elements, fractions (".000"/".999") and literal text.</summary>
    private static List<(string Token, bool IsStd)> Tokenize(string layout)
    {
        var list = new List<(string, bool)>();
        var literal = new StringBuilder();
        var i = 0;
        while (i < layout.Length)
        {
            if ((layout[i] == '.' || layout[i] == ',') && i + 1 < layout.Length && (layout[i + 1] == '0' || layout[i + 1] == '9'))
            {
                var j = i + 1;
                while (j < layout.Length && layout[j] == layout[i + 1])
                {
                    j++;
                }

                if (j >= layout.Length || !char.IsDigit(layout[j]))
                {
                    Flush(list, literal);
                    list.Add((layout[i..j], true));
                    i = j;
                    continue;
                }
            }

            var tok = Tokens.FirstOrDefault(t => string.CompareOrdinal(layout, i, t, 0, t.Length) == 0 && IsTokenBoundary(layout, i, t));
            if (tok != null)
            {
                Flush(list, literal);
                list.Add((tok, true));
                i += tok.Length;
                continue;
            }

            literal.Append(layout[i]);
            i++;
        }

        Flush(list, literal);
        return list;
    }

    /// <summary>Go only treats Jan/Mon as elements when not followed by a lower-case letter.</summary>
    private static bool IsTokenBoundary(string layout, int i, string tok) =>
        tok is not ("Jan" or "Mon") || i + tok.Length >= layout.Length || !char.IsLower(layout[i + tok.Length]);

    private static void Flush(List<(string, bool)> list, StringBuilder literal)
    {
        if (literal.Length > 0)
        {
            list.Add((literal.ToString(), false));
            literal.Clear();
        }
    }
}
