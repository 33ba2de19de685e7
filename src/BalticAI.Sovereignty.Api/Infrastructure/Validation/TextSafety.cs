using System.Text.Json;

namespace BalticAI.Sovereignty.Api.Infrastructure.Validation;

/// <summary>
/// Refuses strings that display differently from what they store or that PostgreSQL cannot keep:
/// control characters (NUL breaks jsonb), bidirectional overrides and isolates (a title that renders
/// reversed could disguise a licence id), lone surrogates and noncharacters. <see cref="RequestBody"/>
/// applies it to every string value and property name of a request body. In source text (a Rego module),
/// a carriage return directly before a line feed is kept: a file saved on Windows has them.
/// </summary>
public static class TextSafety
{
    /// <summary>An escaped lone surrogate (`"\ud800"`) parses, but reading it as a string throws.</summary>
    public static string? ReadString(JsonElement element)
    {
        try
        {
            return element.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    public static string? ReadName(JsonProperty property)
    {
        try
        {
            return property.Name;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    public static string? Problem(string? text, bool keepsLineEndings = false)
    {
        if (text is null)
        {
            return "is not valid Unicode text";
        }
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }
            if (char.IsSurrogate(c))
            {
                return "contains a lone surrogate";
            }
            // A lone carriage return stays refused: a terminal shows the text after it over the text before it.
            if (c == '\r' && keepsLineEndings && i + 1 < text.Length && text[i + 1] == '\n')
            {
                continue;
            }
            if (char.IsControl(c) && c is not ('\n' or '\t'))
            {
                return $"contains the control character U+{(int)c:X4}";
            }
            if (c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069' or '\u200E' or '\u200F' or '\u061C')
            {
                return $"contains the bidirectional formatting character U+{(int)c:X4}";
            }
            if (c is '\uFFFE' or '\uFFFF' or '\uFEFF')
            {
                return $"contains the noncharacter U+{(int)c:X4}";
            }
        }
        return null;
    }
}
