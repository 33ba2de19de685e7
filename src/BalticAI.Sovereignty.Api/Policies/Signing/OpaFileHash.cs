using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BalticAI.Sovereignty.Rego;

namespace BalticAI.Sovereignty.Api.Policies.Signing;

/// <summary>
/// The digest OPA's bundle signatures give a file (v1/bundle/hash.go and verify.go): a structured file — one named
/// `data.json`, `data.yaml` or `.manifest` — is parsed and hashed as compact JSON with every object's keys in byte order
/// of their UTF-8, numbers as written and strings as Go's encoder writes them without HTML escaping, so whitespace and
/// key order do not change it; any other file is hashed as its bytes. Only the SHA-2 algorithms with a .NET
/// implementation are taken: OPA also accepts MD5 and SHA-1, whose collisions would let a signed file be swapped.
/// </summary>
public static class OpaFileHash
{
    public static readonly IReadOnlyList<string> Algorithms = ["SHA-256", "SHA-384", "SHA-512"];

    public static bool IsStructured(string path) => Path.GetFileName(path) is "data.json" or "data.yaml" or ".manifest";

    /// <summary>Lower-case hex, as `.signatures.json` carries it.</summary>
    /// <exception cref="ArgumentException">An algorithm not in <see cref="Algorithms"/>.</exception>
    /// <exception cref="JsonException">A structured JSON file that is not JSON.</exception>
    /// <exception cref="FormatException">A `data.yaml` that is not YAML.</exception>
    public static string Compute(string path, byte[] content, string algorithm)
    {
        var bytes = !IsStructured(path) ? content
            : path.EndsWith(".yaml", StringComparison.Ordinal) ? Canonical(JsonSerializer.SerializeToElement(YamlToJson.Convert(Encoding.UTF8.GetString(content))))
            : Canonical(Parse(content));
        var digest = algorithm switch
        {
            "SHA-256" => SHA256.HashData(bytes),
            "SHA-384" => SHA384.HashData(bytes),
            "SHA-512" => SHA512.HashData(bytes),
            _ => throw new ArgumentException($"hashing algorithm {algorithm} is not accepted: use one of {string.Join(", ", Algorithms)}", nameof(algorithm)),
        };
        return Convert.ToHexStringLower(digest);
    }

    /// <summary>The bytes OPA's hasher walks for a parsed JSON value.</summary>
    public static byte[] Canonical(JsonElement value)
    {
        var text = new StringBuilder();
        Write(value, text);
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static JsonElement Parse(byte[] content)
    {
        using var document = JsonDocument.Parse(content, new JsonDocumentOptions { MaxDepth = 64 });
        return document.RootElement.Clone();
    }

    private static void Write(JsonElement value, StringBuilder text)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                text.Append('{');
                var members = value.EnumerateObject().GroupBy(p => p.Name).Select(g => g.Last())
                    .OrderBy(p => Encoding.UTF8.GetBytes(p.Name), Utf8Order.Instance).ToList();
                for (var i = 0; i < members.Count; i++)
                {
                    if (i > 0)
                    {
                        text.Append(',');
                    }
                    WriteString(members[i].Name, text);
                    text.Append(':');
                    Write(members[i].Value, text);
                }
                text.Append('}');
                break;
            case JsonValueKind.Array:
                text.Append('[');
                var first = true;
                foreach (var item in value.EnumerateArray())
                {
                    if (!first)
                    {
                        text.Append(',');
                    }
                    first = false;
                    Write(item, text);
                }
                text.Append(']');
                break;
            case JsonValueKind.String:
                WriteString(value.GetString()!, text);
                break;
            default:
                // Numbers as written (OPA decodes them as json.Number), true, false and null.
                text.Append(value.GetRawText());
                break;
        }
    }

    /// <summary>As Go's encoding/json with SetEscapeHTML(false): short escapes for ", \, \b, \f, \n, \r, \t; \u00xx for other controls; U+2028 and U+2029 escaped.</summary>
    private static void WriteString(string value, StringBuilder text)
    {
        text.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\b': text.Append("\\b"); break;
                case '\f': text.Append("\\f"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                case '\u2028' or '\u2029':
                    text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                case < ' ':
                    text.Append("\\u00").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                    break;
                default:
                    text.Append(c);
                    break;
            }
        }
        text.Append('"');
    }

    private sealed class Utf8Order : IComparer<byte[]>
    {
        public static readonly Utf8Order Instance = new();

        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }
}
