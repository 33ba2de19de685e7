using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using BalticAI.Sovereignty.Rego.Values;
using static BalticAI.Sovereignty.Rego.Builtins.Args;

namespace BalticAI.Sovereignty.Rego.Builtins;

/// <summary>Globs (gobwas/glob syntax, as OPA uses) and CIDR matching.</summary>
internal static partial class BuiltinRegistry
{
    private const int MaxCachedPatterns = 1000;
    private static readonly ConcurrentDictionary<string, Regex> RegexCache = new(StringComparer.Ordinal);

    private static void RegisterMatching()
    {
        RegisterRegex();
        Add("glob.match", 3, a =>
        {
            var pattern = Str(a, 0);
            // OPA topdown/glob.go: null means no delimiters at all, [] means ["."], and each delimiter is one rune.
            var delimiters = a[1] switch
            {
                NullValue => [],
                ArrayValue { Count: 0 } => ["."],
                ArrayValue arr => arr.Items.Select(d => d is StringValue s && s.Value.EnumerateRunes().Count() == 1 ? s.Value
                    : throw BuiltinException.Operand(2, "array of single-rune strings", a[1])).ToList(),
                _ => throw BuiltinException.Operand(2, "one of {array, null}", a[1]),
            };
            var key = "glob:" + string.Join("\u0000", delimiters) + "\u0001" + pattern;
            var regex = RegexCache.TryGetValue(key, out var cached) ? cached : CacheRegex(key, GlobToRegex(pattern, delimiters));
            return BoolValue.Of(regex.IsMatch(Str(a, 2)));
        });
        Add("glob.quote_meta", 1, a => S(Regex.Replace(Str(a, 0), @"[*?\[\]{}\\]", m => "\\" + m.Value)));
        Add("net.cidr_contains", 2, a =>
        {
            var (net, prefix) = ParseCidr(Str(a, 0));
            var other = Str(a, 1);
            if (other.Contains('/'))
            {
                var (inner, innerPrefix) = ParseCidr(other);
                return BoolValue.Of(innerPrefix >= prefix && InNetwork(net, prefix, inner));
            }

            return BoolValue.Of(ParseIP(other) is { } ip ? InNetwork(net, prefix, ip) : throw BuiltinException.Error($"invalid IP address or CIDR: {other}"));
        });
        Add("net.cidr_intersects", 2, a =>
        {
            var (n1, p1) = ParseCidr(Str(a, 0));
            var (n2, p2) = ParseCidr(Str(a, 1));
            var p = Math.Min(p1, p2);
            return BoolValue.Of(n1.AddressFamily == n2.AddressFamily && InNetwork(n1, p, n2));
        });
        Add("net.cidr_is_valid", 1, a =>
        {
            try
            {
                return BoolValue.Of(a[0] is StringValue s && ParseCidr(s.Value).Prefix >= 0);
            }
            catch (BuiltinException)
            {
                return BoolValue.False;
            }
        });
    }

    private static Regex CacheRegex(string key, Regex r)
    {
        if (RegexCache.Count > MaxCachedPatterns)
        {
            RegexCache.Clear();
        }

        RegexCache[key] = r;
        return r;
    }

    /// <summary>Glob syntax of gobwas/glob (used by OPA): * ? ** [..] [!..] {a,b} and backslash escapes.</summary>
    private static Regex GlobToRegex(string pattern, List<string> delimiters)
    {
        // One code point that is not a delimiter: gobwas/glob matches runes, so '?' takes a whole surrogate pair.
        var notDelim = "(?:[\\uD800-\\uDBFF][\\uDC00-\\uDFFF]|[^" +
            string.Concat(delimiters.Select(d => Regex.Escape(d).Replace("]", "\\]", StringComparison.Ordinal).Replace("-", "\\-", StringComparison.Ordinal))) + "\\uD800-\\uDFFF])";
        var sb = new StringBuilder("^");
        var depth = 0;
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            switch (c)
            {
                case '*' when i + 1 < pattern.Length && pattern[i + 1] == '*':
                    sb.Append(".*");
                    i++;
                    break;
                case '*':
                    sb.Append(notDelim).Append('*');
                    break;
                case '?':
                    sb.Append(notDelim);
                    break;
                case '[':
                    var end = pattern.IndexOf(']', i + 1);
                    if (end < 0)
                    {
                        throw BuiltinException.Error("unexpected end of input");
                    }

                    var body = pattern[(i + 1)..end];
                    var negate = body.StartsWith('!');
                    if (negate)
                    {
                        body = body[1..];
                    }

                    sb.Append('[').Append(negate ? "^" : string.Empty).Append(body.Replace("\\", "\\\\", StringComparison.Ordinal)).Append(']');
                    i = end;
                    break;
                case '{':
                    depth++;
                    sb.Append("(?:");
                    break;
                case '}' when depth > 0:
                    depth--;
                    sb.Append(')');
                    break;
                case ',' when depth > 0:
                    sb.Append('|');
                    break;
                case '\\' when i + 1 < pattern.Length:
                    sb.Append(Regex.Escape(pattern[++i].ToString()));
                    break;
                default:
                    sb.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }

        if (depth != 0)
        {
            throw BuiltinException.Error("unexpected end of input");
        }

        return new Regex(sb.Append('$').ToString(), RegexOptions.NonBacktracking | RegexOptions.CultureInvariant | RegexOptions.Singleline);
    }

    private static (IPAddress Address, int Prefix) ParseCidr(string s)
    {
        var slash = s.IndexOf('/');
        var ip = slash < 0 ? null : ParseIP(s[..slash]);
        var bits = ip == null ? -1 : Decimal(s[(slash + 1)..]);
        if (ip == null || bits < 0 || bits > (ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128))
        {
            throw BuiltinException.Error($"invalid CIDR address: {s}");
        }

        return (ip, bits);
    }

    /// <summary>
    /// Go's net.ParseIP, which OPA's net.cidr_* builtins use (topdown/cidr.go): IPv4 only as four decimal
    /// fields without leading zeros. IPAddress.TryParse also takes "10.1", "0x0a.0.0.1" and "010.0.0.1"
    /// (octal, so 8.0.0.1), zones, brackets and ports, all of which OPA rejects as invalid.
    /// </summary>
    private static IPAddress? ParseIP(string s)
    {
        if (s.Contains(':'))
        {
            return s.All(c => char.IsAsciiHexDigit(c) || c is ':' or '.') && IPAddress.TryParse(s, out var v6) &&
                v6.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? v6 : null;
        }

        var fields = s.Split('.');
        if (fields.Length != 4)
        {
            return null;
        }

        var bytes = new byte[4];
        for (var i = 0; i < 4; i++)
        {
            var n = Decimal(fields[i]);
            if (n is < 0 or > 255 || (fields[i].Length > 1 && fields[i][0] == '0'))
            {
                return null;
            }

            bytes[i] = (byte)n;
        }

        return new IPAddress(bytes);
    }

    /// <summary>A non-negative decimal of ASCII digits only (no sign, no spaces), or -1.</summary>
    private static int Decimal(string s) =>
        s.Length is > 0 and < 10 && s.All(char.IsAsciiDigit) ? int.Parse(s, System.Globalization.CultureInfo.InvariantCulture) : -1;

    private static bool InNetwork(IPAddress net, int prefix, IPAddress ip)
    {
        if (ip.IsIPv4MappedToIPv6 && net.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
        {
            ip = ip.MapToIPv4();
        }

        if (net.AddressFamily != ip.AddressFamily)
        {
            return false;
        }

        var a = net.GetAddressBytes();
        var b = ip.GetAddressBytes();
        for (var bit = 0; bit < prefix; bit++)
        {
            var mask = 0x80 >> (bit % 8);
            if ((a[bit / 8] & mask) != (b[bit / 8] & mask))
            {
                return false;
            }
        }

        return true;
    }
}
