using System.Globalization;
using System.Numerics;

namespace BalticAI.Sovereignty.Rego.Values;

/// <summary>
/// A number kept exact where OPA is exact: integers as BigInteger, other values as decimal when they fit,
/// and double only as the last resort. The form is canonical (integral values are always integers) so that
/// equality and hashing agree across representations, as 1 == 1.0 in Rego.
/// </summary>
internal sealed class NumberValue : Value
{
    private static readonly BigInteger MaxDecimalInteger = new(decimal.MaxValue);
    public static readonly NumberValue Zero = new(BigInteger.Zero);
    public static readonly NumberValue One = new(BigInteger.One);

    private NumberValue(BigInteger i)
    {
        Integer = i;
        IsInteger = true;
    }

    private NumberValue(decimal d)
    {
        Decimal = d;
        IsDecimal = true;
    }

    private NumberValue(double f) => Double = f;

    public bool IsInteger { get; }

    public bool IsDecimal { get; }

    public BigInteger Integer { get; }

    public decimal Decimal { get; }

    public double Double { get; }

    public override ValueKind Kind => ValueKind.Number;

    public static NumberValue Of(long i) => new(new BigInteger(i));

    public static NumberValue Of(BigInteger i) => new(i);

    public static NumberValue Of(decimal d)
    {
        if (d == decimal.Truncate(d))
        {
            return new NumberValue(new BigInteger(d));
        }

        return new NumberValue(d);
    }

    public static NumberValue? Of(double f)
    {
        if (double.IsNaN(f) || double.IsInfinity(f))
        {
            return null;
        }

        if (Math.Floor(f) == f && Math.Abs(f) < 1e300)
        {
            return new NumberValue(new BigInteger(f));
        }

        var text = f.ToString("R", CultureInfo.InvariantCulture);
        if (decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && (double)d == f)
        {
            return Of(d);
        }

        return new NumberValue(f);
    }

    public static NumberValue? Parse(string text)
    {
        if (BigInteger.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i))
        {
            return new NumberValue(i);
        }

        if (decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && (d != 0 || IsZeroText(text)))
        {
            return Of(d);
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var f))
        {
            if (Math.Floor(f) == f && !double.IsInfinity(f) && TryExactInteger(text, out var big))
            {
                return new NumberValue(big);
            }

            return Of(f);
        }

        return null;
    }

    private static bool IsZeroText(string text) => !text.Any(c => c is >= '1' and <= '9');

    /// <summary>Exact integer for literals like 1e40 that decimal cannot hold.</summary>
    private static bool TryExactInteger(string text, out BigInteger value)
    {
        value = default;
        var e = text.IndexOfAny(['e', 'E']);
        if (e < 0 || text.Contains('.', StringComparison.Ordinal))
        {
            return false;
        }

        if (!BigInteger.TryParse(text[..e], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var mant) ||
            !int.TryParse(text[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var exp) || exp < 0 || exp > 400)
        {
            return false;
        }

        value = mant * BigInteger.Pow(10, exp);
        return true;
    }

    public double AsDouble() => IsInteger ? (double)Integer : IsDecimal ? (double)Decimal : Double;

    public bool TryDecimal(out decimal d)
    {
        if (IsDecimal)
        {
            d = Decimal;
            return true;
        }

        if (IsInteger && BigInteger.Abs(Integer) <= MaxDecimalInteger)
        {
            d = (decimal)Integer;
            return true;
        }

        d = 0;
        return false;
    }

    public bool TryInt(out int i)
    {
        if (IsInteger && Integer >= int.MinValue && Integer <= int.MaxValue)
        {
            i = (int)Integer;
            return true;
        }

        i = 0;
        return false;
    }

    public bool TryLong(out long i)
    {
        if (IsInteger && Integer >= long.MinValue && Integer <= long.MaxValue)
        {
            i = (long)Integer;
            return true;
        }

        i = 0;
        return false;
    }

    public int Sign => IsInteger ? Integer.Sign : IsDecimal ? Math.Sign(Decimal) : Math.Sign(Double);

    public override int CompareTo(Value? other)
    {
        if (other is not NumberValue n)
        {
            return CompareKinds(other!);
        }

        if (IsInteger && n.IsInteger)
        {
            return Integer.CompareTo(n.Integer);
        }

        if (TryDecimal(out var a) && n.TryDecimal(out var b))
        {
            return a.CompareTo(b);
        }

        return AsDouble().CompareTo(n.AsDouble());
    }

    public override bool Equals(Value? other) => other is NumberValue n && CompareTo(n) == 0;

    public override int GetHashCode()
    {
        if (IsInteger)
        {
            return Integer.GetHashCode();
        }

        return IsDecimal ? Decimal.GetHashCode() : Double.GetHashCode();
    }

    public string ToJsonText()
    {
        if (IsInteger)
        {
            return Integer.ToString(CultureInfo.InvariantCulture);
        }

        if (IsDecimal)
        {
            return Decimal.ToString("0.############################", CultureInfo.InvariantCulture);
        }

        return Double.ToString("R", CultureInfo.InvariantCulture).Replace("E+", "e+", StringComparison.Ordinal).Replace("E-", "e-", StringComparison.Ordinal);
    }
}
