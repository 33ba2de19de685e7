using System.Globalization;
using System.Numerics;
using System.Text.RegularExpressions;
using BalticAI.Sovereignty.Rego.Values;
using static BalticAI.Sovereignty.Rego.Builtins.Args;

namespace BalticAI.Sovereignty.Rego.Builtins;

/// <summary>time.*: nanosecond timestamps, Go layouts, IANA time zones.</summary>
internal static partial class BuiltinRegistry
{
    private static void RegisterTime()
    {
        AddCtx("time.now_ns", 0, (ctx, _) => N(ctx.NowNs));
        Add("time.parse_ns", 2, a => InRange(GoTime.Parse(Str(a, 0), Str(a, 1))));
        Add("time.parse_rfc3339_ns", 1, a => InRange(GoTime.Parse("RFC3339", Str(a, 0))));
        Add("time.parse_duration_ns", 1, a => N(ParseDuration(Str(a, 0))));
        Add("time.format", 1, a =>
        {
            var (ns, tz, layout) = TimeArg(a[0], allowLayout: true);
            return S(GoTime.Format(ns, tz, layout ?? "RFC3339Nano"));
        });
        Add("time.date", 1, a =>
        {
            var t = Local(a[0]);
            return new ArrayValue([N(t.Year), N(t.Month), N(t.Day)]);
        });
        Add("time.clock", 1, a =>
        {
            var t = Local(a[0]);
            return new ArrayValue([N(t.Hour), N(t.Minute), N(t.Second)]);
        });
        Add("time.weekday", 1, a => S(Local(a[0]).DayOfWeek.ToString()));
        Add("time.add_date", 4, a =>
        {
            var ns = Timestamp(a[0]);
            var t = Local(a[0]);
            var years = Int(a, 1);
            var months = Int(a, 2);
            var days = Int(a, 3);
            var totalMonths = ((long)t.Year + years) * 12 + (t.Month - 1) + months;
            var year = totalMonths / 12;
            var month = (int)(totalMonths % 12) + 1;
            if (year < 1 || year > 9999)
            {
                throw BuiltinException.Error("time outside of valid range");
            }

            DateTime date;
            try
            {
                date = new DateTime((int)year, month, 1, t.Hour, t.Minute, t.Second, DateTimeKind.Utc).AddDays(t.Day - 1 + days);
            }
            catch (ArgumentOutOfRangeException)
            {
                throw BuiltinException.Error("time outside of valid range");
            }

            var secs = new DateTimeOffset(date, TimeSpan.Zero).ToUnixTimeSeconds();
            return InRange((new BigInteger(secs) * 1_000_000_000) + Mod(ns));
        });
        Add("time.diff", 2, a =>
        {
            var x = Local(a[0]);
            var y = Local(a[1]);
            if (x > y)
            {
                (x, y) = (y, x);
            }

            int years = y.Year - x.Year, months = y.Month - x.Month, days = y.Day - x.Day;
            int hours = y.Hour - x.Hour, minutes = y.Minute - x.Minute, seconds = y.Second - x.Second;
            if (seconds < 0) { seconds += 60; minutes--; }
            if (minutes < 0) { minutes += 60; hours--; }
            if (hours < 0) { hours += 24; days--; }
            if (days < 0) { days += DateTime.DaysInMonth(x.Year, x.Month); months--; }
            if (months < 0) { months += 12; years--; }
            return new ArrayValue([N(years), N(months), N(days), N(hours), N(minutes), N(seconds)]);
        });
    }

    private static long Mod(long ns)
    {
        var m = ns % 1_000_000_000;
        return m < 0 ? m + 1_000_000_000 : m;
    }

    private static NumberValue InRange(BigInteger ns) =>
        ns < long.MinValue || ns > long.MaxValue ? throw BuiltinException.Error("time outside of valid range") : NumberValue.Of(ns);

    private static long Timestamp(Value v)
    {
        var n = v as NumberValue ?? throw BuiltinException.Operand(1, "number", v);
        var i = n.IsInteger ? n.Integer : new BigInteger(n.AsDouble());
        return i < long.MinValue || i > long.MaxValue ? throw BuiltinException.Error("timestamp too big") : (long)i;
    }

    private static (long Ns, TimeZoneInfo Tz, string? Layout) TimeArg(Value v, bool allowLayout)
    {
        if (v is ArrayValue { Count: >= 2 } arr && (arr.Count == 2 || (allowLayout && arr.Count == 3)))
        {
            var tz = arr.Items[1] is StringValue s ? Zone(s.Value) : throw BuiltinException.Operand(1, "string time zone", arr.Items[1]);
            var layout = arr.Count == 3 ? (arr.Items[2] is StringValue l ? l.Value : throw BuiltinException.Operand(1, "string layout", arr.Items[2])) : null;
            return (Timestamp(arr.Items[0]), tz, layout);
        }

        if (v is NumberValue)
        {
            return (Timestamp(v), TimeZoneInfo.Utc, null);
        }

        throw BuiltinException.Operand(1, "either number (ns) or [number (ns), string (tz)]", v);
    }

    private static DateTimeOffset Local(Value v)
    {
        var (ns, tz, _) = TimeArg(v, allowLayout: false);
        var secs = (ns - Mod(ns)) / 1_000_000_000;
        return TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeSeconds(secs), tz);
    }

    private static TimeZoneInfo Zone(string name)
    {
        if (name is "" or "UTC")
        {
            return TimeZoneInfo.Utc;
        }

        if (name == "Local")
        {
            return TimeZoneInfo.Local;
        }

        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(name);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw BuiltinException.Error($"unknown time zone {name}");
        }
    }

    /// <summary>Go duration syntax: optional sign, then number+unit pairs (ns, us, µs, ms, s, m, h).</summary>
    private static long ParseDuration(string s)
    {
        var m = Regex.Match(s, @"^([-+]?)((?:[0-9]*\.?[0-9]+(?:ns|us|µs|μs|ms|s|m|h))+|0)$");
        if (!m.Success)
        {
            throw BuiltinException.Error($"time: invalid duration \"{s}\"");
        }

        decimal total = 0;
        foreach (Match part in Regex.Matches(m.Groups[2].Value, @"([0-9]*\.?[0-9]+)(ns|us|µs|μs|ms|s|m|h)"))
        {
            var n = decimal.Parse(part.Groups[1].Value, CultureInfo.InvariantCulture);
            total += n * part.Groups[2].Value switch
            {
                "ns" => 1m,
                "us" or "µs" or "μs" => 1e3m,
                "ms" => 1e6m,
                "s" => 1e9m,
                "m" => 60e9m,
                _ => 3600e9m,
            };
        }

        return (long)(m.Groups[1].Value == "-" ? -total : total);
    }
}
