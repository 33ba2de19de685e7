using System.Buffers;
using System.Globalization;

namespace BalticAI.Sovereignty.Security;

/// <summary>RFC 8785 numbers: ECMAScript's shortest round-trip form.</summary>
public static partial class CanonicalJson
{
    /// <summary>
    /// An integer of at most 15 digits without sign tricks is exact as a double and ECMAScript prints it
    /// digit for digit, so its source text is already canonical; anything else goes through the double.
    /// </summary>
    private static bool IsCanonicalInteger(ReadOnlySpan<byte> text)
    {
        var digits = text.Length > 0 && text[0] == (byte)'-' ? text[1..] : text;
        if (digits.Length is 0 or > 15 || (digits[0] == (byte)'0' && (digits.Length > 1 || digits.Length != text.Length)))
        {
            return false;
        }
        foreach (var b in digits)
        {
            if (b is < (byte)'0' or > (byte)'9')
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>
    /// An integer as <see cref="FormatNumber"/> writes it, without the string for the exact ones (below
    /// 2^53, the digits as they are); larger ones go through the double, as ECMAScript would.
    /// </summary>
    internal static void WriteInteger(ArrayBufferWriter<byte> output, long value)
    {
        if (value is > -9007199254740992 and < 9007199254740992)
        {
            value.TryFormat(output.GetSpan(20), out var written, default, CultureInfo.InvariantCulture);
            output.Advance(written);
            return;
        }
        var text = FormatNumber(value);
        output.Advance(System.Text.Encoding.ASCII.GetBytes(text, output.GetSpan(text.Length)));
    }

    /// <summary>ECMAScript Number.prototype.toString, as RFC 8785 §3.2.2.3 requires.</summary>
    public static string FormatNumber(double value)
    {
        if (double.IsNaN(value) || double.IsInfinity(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), "JSON has no NaN or Infinity");
        }
        if (value == 0)
        {
            return "0";
        }
        // Integers below 2^53 are exact and ECMAScript prints all their digits.
        if (Math.Abs(value) < 9007199254740992 && value == Math.Floor(value))
        {
            return ((long)value).ToString(CultureInfo.InvariantCulture);
        }
        // "R" gives the shortest round-tripping digits; re-lay them out by ECMAScript's rules.
        var (digits, exponent) = Decompose(Math.Abs(value).ToString("R", CultureInfo.InvariantCulture));
        var n = exponent + 1;
        var k = digits.Length;
        string text;
        if (k <= n && n <= 21)
        {
            text = digits + new string('0', n - k);
        }
        else if (0 < n && n <= 21)
        {
            text = digits[..n] + "." + digits[n..];
        }
        else if (-6 < n && n <= 0)
        {
            text = "0." + new string('0', -n) + digits;
        }
        else
        {
            var e = n - 1;
            var mantissa = k == 1 ? digits : digits[..1] + "." + digits[1..];
            text = mantissa + "e" + (e < 0 ? "-" : "+") + Math.Abs(e).ToString(CultureInfo.InvariantCulture);
        }
        return value < 0 ? "-" + text : text;
    }

    /// <summary>Splits a positive number's text into significant digits and the exponent of the first one.</summary>
    private static (string Digits, int Exponent) Decompose(string text)
    {
        var exponent = 0;
        var e = text.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            exponent = int.Parse(text[(e + 1)..], CultureInfo.InvariantCulture);
            text = text[..e];
        }
        var dot = text.IndexOf('.');
        var integerPart = dot >= 0 ? text[..dot] : text;
        var fraction = dot >= 0 ? text[(dot + 1)..] : "";
        var all = integerPart + fraction;
        var leadingZeros = all.Length - all.TrimStart('0').Length;
        var digits = all.Trim('0');
        exponent += integerPart.Length - 1 - leadingZeros;
        return (digits, exponent);
    }
}
