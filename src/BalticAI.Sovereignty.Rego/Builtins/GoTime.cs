using System.Globalization;
using System.Numerics;
using System.Text;

namespace BalticAI.Sovereignty.Rego.Builtins;

/// <summary>
/// Go's reference-time layouts ("2006-01-02T15:04:05Z07:00") for formatting and parsing, with nanosecond
/// timestamps limited to the int64 range as in OPA.
/// </summary>
internal static partial class GoTime
{
    public static readonly Dictionary<string, string> NamedLayouts = new(StringComparer.Ordinal)
    {
        ["ANSIC"] = "Mon Jan _2 15:04:05 2006",
        ["UnixDate"] = "Mon Jan _2 15:04:05 MST 2006",
        ["RubyDate"] = "Mon Jan 02 15:04:05 -0700 2006",
        ["RFC822"] = "02 Jan 06 15:04 MST",
        ["RFC822Z"] = "02 Jan 06 15:04 -0700",
        ["RFC850"] = "Monday, 02-Jan-06 15:04:05 MST",
        ["RFC1123"] = "Mon, 02 Jan 2006 15:04:05 MST",
        ["RFC1123Z"] = "Mon, 02 Jan 2006 15:04:05 -0700",
        ["RFC3339"] = "2006-01-02T15:04:05Z07:00",
        ["RFC3339Nano"] = "2006-01-02T15:04:05.999999999Z07:00",
        ["Kitchen"] = "3:04PM",
        ["Stamp"] = "Jan _2 15:04:05",
        ["StampMilli"] = "Jan _2 15:04:05.000",
        ["StampMicro"] = "Jan _2 15:04:05.000000",
        ["StampNano"] = "Jan _2 15:04:05.000000000",
        ["DateTime"] = "2006-01-02 15:04:05",
        ["DateOnly"] = "2006-01-02",
        ["TimeOnly"] = "15:04:05",
    };

    private static readonly BigInteger NsPerSecond = 1_000_000_000;

    public static string Resolve(string layout) => NamedLayouts.GetValueOrDefault(layout, layout);

    public static string Format(long ns, TimeZoneInfo tz, string layout)
    {
        var secs = FloorSeconds(ns);
        var nanos = FloorMod(ns);
        var utc = DateTimeOffset.FromUnixTimeSeconds(secs);
        var t = TimeZoneInfo.ConvertTime(utc, tz);
        var sb = new StringBuilder();
        foreach (var (tok, std) in LayoutTokens(layout))
        {
            if (!std)
            {
                sb.Append(tok);
                continue;
            }

            sb.Append(tok switch
            {
                "January" => t.ToString("MMMM", CultureInfo.InvariantCulture),
                "Jan" => t.ToString("MMM", CultureInfo.InvariantCulture),
                "Monday" => t.DayOfWeek.ToString(),
                "Mon" => t.DayOfWeek.ToString()[..3],
                "MST" => tz == TimeZoneInfo.Utc ? "UTC" : Offset(t.Offset, false, false, "-0700"),
                "2006" => t.Year.ToString("D4", CultureInfo.InvariantCulture),
                "06" => (t.Year % 100).ToString("D2", CultureInfo.InvariantCulture),
                "01" => t.Month.ToString("D2", CultureInfo.InvariantCulture),
                "1" => t.Month.ToString(CultureInfo.InvariantCulture),
                "02" => t.Day.ToString("D2", CultureInfo.InvariantCulture),
                "2" => t.Day.ToString(CultureInfo.InvariantCulture),
                "_2" => t.Day.ToString(CultureInfo.InvariantCulture).PadLeft(2),
                "002" => t.DayOfYear.ToString("D3", CultureInfo.InvariantCulture),
                "15" => t.Hour.ToString("D2", CultureInfo.InvariantCulture),
                "03" => Hour12(t.Hour).ToString("D2", CultureInfo.InvariantCulture),
                "3" => Hour12(t.Hour).ToString(CultureInfo.InvariantCulture),
                "04" => t.Minute.ToString("D2", CultureInfo.InvariantCulture),
                "4" => t.Minute.ToString(CultureInfo.InvariantCulture),
                "05" => t.Second.ToString("D2", CultureInfo.InvariantCulture),
                "5" => t.Second.ToString(CultureInfo.InvariantCulture),
                "PM" => t.Hour >= 12 ? "PM" : "AM",
                "pm" => t.Hour >= 12 ? "pm" : "am",
                _ when tok[0] is '.' or ',' => Fraction(tok, nanos),
                _ => Offset(t.Offset, tok[0] == 'Z', tok.Contains(':'), tok),
            });
        }

        return sb.ToString();
    }

    public static long FloorSeconds(long ns) => (ns / 1_000_000_000) - (ns % 1_000_000_000 < 0 ? 1 : 0);

    private static long FloorMod(long ns)
    {
        var m = ns % 1_000_000_000;
        return m < 0 ? m + 1_000_000_000 : m;
    }

    private static int Hour12(int h) => h % 12 == 0 ? 12 : h % 12;

    private static string Fraction(string tok, long nanos)
    {
        var digits = tok.Length - 1;
        var s = nanos.ToString("D9", CultureInfo.InvariantCulture)[..digits];
        if (tok[1] == '9')
        {
            s = s.TrimEnd('0');
            return s.Length == 0 ? string.Empty : tok[0] + s;
        }

        return tok[0] + s;
    }

    private static string Offset(TimeSpan offset, bool zulu, bool colon, string tok)
    {
        if (zulu && offset == TimeSpan.Zero)
        {
            return "Z";
        }

        var sign = offset < TimeSpan.Zero ? "-" : "+";
        var o = offset.Duration();
        var hh = o.Hours.ToString("D2", CultureInfo.InvariantCulture);
        var mm = o.Minutes.ToString("D2", CultureInfo.InvariantCulture);
        var ss = o.Seconds.ToString("D2", CultureInfo.InvariantCulture);
        var core = tok.TrimStart('Z', '-');
        return core switch
        {
            "07" => sign + hh,
            "0700" or "07:00" => sign + hh + (colon ? ":" : string.Empty) + mm,
            _ => sign + hh + (colon ? ":" : string.Empty) + mm + (colon ? ":" : string.Empty) + ss,
        };
    }

    /// <summary>Parses a value with a layout; returns nanoseconds since the epoch (may exceed int64: caller checks).</summary>
    public static BigInteger Parse(string layout, string value)
    {
        int year = 1, month = 1, day = 1, hour = 0, minute = 0, second = 0;
        long nanos = 0;
        var pm = (bool?)null;
        TimeSpan? offset = null;
        var pos = 0;
        var tokens = LayoutTokens(layout);
        for (var ti = 0; ti < tokens.Length; ti++)
        {
            var (tok, std) = tokens[ti];
            if (!std)
            {
                if (string.CompareOrdinal(value, pos, tok, 0, tok.Length) != 0)
                {
                    throw Bad(layout, value);
                }

                pos += tok.Length;
                continue;
            }

            switch (tok)
            {
                case "2006": year = Digits(value, ref pos, 4, 4, layout); break;
                case "06": year = 1900 + Digits(value, ref pos, 2, 2, layout); year += year < 1969 ? 100 : 0; break;
                case "01": month = Digits(value, ref pos, 2, 2, layout); break;
                case "1": month = Digits(value, ref pos, 1, 2, layout); break;
                case "02": day = Digits(value, ref pos, 2, 2, layout); break;
                case "2": day = Digits(value, ref pos, 1, 2, layout); break;
                case "_2":
                    if (pos < value.Length && value[pos] == ' ')
                    {
                        pos++;
                    }

                    day = Digits(value, ref pos, 1, 2, layout);
                    break;
                case "15": hour = Digits(value, ref pos, 1, 2, layout); break;
                case "03": case "3": hour = Digits(value, ref pos, tok.Length, 2, layout); break;
                case "04": case "4": minute = Digits(value, ref pos, tok.Length, 2, layout); break;
                case "05":
                case "5":
                    second = Digits(value, ref pos, tok.Length, 2, layout);
                    var nextIsFraction = ti + 1 < tokens.Length && tokens[ti + 1].IsStd && tokens[ti + 1].Token[0] is '.' or ',';
                    if (!nextIsFraction && pos + 1 < value.Length && value[pos] is '.' or ',' && char.IsDigit(value[pos + 1]))
                    {
                        nanos = ParseFraction(value, ref pos);
                    }

                    break;
                case "PM": case "pm":
                    var ampm = value.Substring(pos, Math.Min(2, value.Length - pos)).ToUpperInvariant();
                    pm = ampm == "PM" ? true : ampm == "AM" ? false : throw Bad(layout, value);
                    pos += 2;
                    break;
                case "Jan":
                case "January":
                    month = MonthName(value, ref pos, tok == "Jan", layout);
                    break;
                case "Mon":
                case "Monday":
                    var names = Enum.GetNames<DayOfWeek>();
                    var name = names.FirstOrDefault(n => value.AsSpan(pos).StartsWith(tok == "Mon" ? n[..3] : n, StringComparison.Ordinal)) ?? throw Bad(layout, value);
                    pos += tok == "Mon" ? 3 : name.Length;
                    break;
                case "MST":
                    var start = pos;
                    while (pos < value.Length && char.IsUpper(value[pos]))
                    {
                        pos++;
                    }

                    offset ??= pos - start >= 3 ? TimeSpan.Zero : throw Bad(layout, value);
                    break;
                default:
                    if (tok[0] is '.' or ',')
                    {
                        if (pos < value.Length && value[pos] == tok[0])
                        {
                            nanos = ParseFraction(value, ref pos);
                        }
                        else if (tok[1] == '0')
                        {
                            throw Bad(layout, value);
                        }

                        break;
                    }

                    offset = ParseOffset(value, ref pos, tok, layout);
                    break;
            }
        }

        if (pos != value.Length)
        {
            throw Bad(layout, value);
        }

        if (pm == true && hour < 12)
        {
            hour += 12;
        }
        else if (pm == false && hour == 12)
        {
            hour = 0;
        }

        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            throw BuiltinException.Error($"parsing time {Quote(value)}: value out of range");
        }

        var local = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified);
        var dto = new DateTimeOffset(local, TimeSpan.Zero) - (offset ?? TimeSpan.Zero);
        return (new BigInteger(dto.ToUnixTimeSeconds()) * NsPerSecond) + nanos;
    }

    private static long ParseFraction(string value, ref int pos)
    {
        pos++;
        var start = pos;
        while (pos < value.Length && char.IsDigit(value[pos]))
        {
            pos++;
        }

        var digits = value[start..pos];
        return long.Parse(digits.Length > 9 ? digits[..9] : digits.PadRight(9, '0'), CultureInfo.InvariantCulture);
    }

    private static int Digits(string value, ref int pos, int min, int max, string layout)
    {
        var start = pos;
        while (pos < value.Length && pos - start < max && char.IsDigit(value[pos]))
        {
            pos++;
        }

        if (pos - start < min)
        {
            throw Bad(layout, value);
        }

        return int.Parse(value[start..pos], CultureInfo.InvariantCulture);
    }

    private static int MonthName(string value, ref int pos, bool abbreviated, string layout)
    {
        for (var m = 1; m <= 12; m++)
        {
            var name = CultureInfo.InvariantCulture.DateTimeFormat.GetMonthName(m);
            if (abbreviated)
            {
                name = name[..3];
            }

            if (value.AsSpan(pos).StartsWith(name, StringComparison.Ordinal))
            {
                pos += name.Length;
                return m;
            }
        }

        throw Bad(layout, value);
    }

    private static TimeSpan ParseOffset(string value, ref int pos, string tok, string layout)
    {
        if (tok[0] == 'Z' && pos < value.Length && value[pos] == 'Z')
        {
            pos++;
            return TimeSpan.Zero;
        }

        if (pos >= value.Length || value[pos] is not ('+' or '-'))
        {
            throw Bad(layout, value);
        }

        var sign = value[pos] == '-' ? -1 : 1;
        pos++;
        var h = Digits(value, ref pos, 2, 2, layout);
        var m = 0;
        var s = 0;
        var core = tok.TrimStart('Z', '-');
        if (core.Length > 2)
        {
            if (core.Contains(':'))
            {
                pos = value[pos] == ':' ? pos + 1 : throw Bad(layout, value);
            }

            m = Digits(value, ref pos, 2, 2, layout);
            if (core.Length > 5 || (core.Length == 6 && !core.Contains(':')))
            {
                if (core.Contains(':'))
                {
                    pos = value[pos] == ':' ? pos + 1 : throw Bad(layout, value);
                }

                s = Digits(value, ref pos, 2, 2, layout);
            }
        }

        return sign * new TimeSpan(h, m, s);
    }

    private static string Quote(string s) => "\"" + s + "\"";

    private static BuiltinException Bad(string layout, string value) =>
        BuiltinException.Error($"parsing time {Quote(value)} as {Quote(layout)}: cannot parse");
}
