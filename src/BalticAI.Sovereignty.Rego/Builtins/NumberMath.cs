using System.Numerics;
using BalticAI.Sovereignty.Rego.Values;

namespace BalticAI.Sovereignty.Rego.Builtins;

/// <summary>Arithmetic that stays exact for integers and decimals and falls back to double only when needed.</summary>
internal static class NumberMath
{
    public static NumberValue Add(NumberValue a, NumberValue b) => Combine(a, b, (x, y) => x + y, (x, y) => x + y, (x, y) => x + y);

    public static NumberValue Sub(NumberValue a, NumberValue b) => Combine(a, b, (x, y) => x - y, (x, y) => x - y, (x, y) => x - y);

    public static NumberValue Mul(NumberValue a, NumberValue b) => Combine(a, b, (x, y) => x * y, (x, y) => x * y, (x, y) => x * y);

    public static NumberValue Div(NumberValue a, NumberValue b)
    {
        if (b.Sign == 0)
        {
            throw BuiltinException.Error("divide by zero");
        }

        if (a.IsInteger && b.IsInteger && BigInteger.Remainder(a.Integer, b.Integer).IsZero)
        {
            return NumberValue.Of(BigInteger.Divide(a.Integer, b.Integer));
        }

        if (a.TryDecimal(out var x) && b.TryDecimal(out var y))
        {
            try
            {
                var q = x / y;
                if (q * y == x)
                {
                    return NumberValue.Of(q);
                }
            }
            catch (OverflowException)
            {
                // Falls through to the double result, as OPA's float division would.
            }
        }

        return Double(a.AsDouble() / b.AsDouble());
    }

    public static NumberValue Rem(NumberValue a, NumberValue b)
    {
        if (b.Sign == 0)
        {
            throw BuiltinException.Error("modulo by zero");
        }

        if (!a.IsInteger || !b.IsInteger)
        {
            throw BuiltinException.Error("modulo on floating-point number");
        }

        return NumberValue.Of(BigInteger.Remainder(a.Integer, b.Integer));
    }

    private static NumberValue Combine(NumberValue a, NumberValue b, Func<BigInteger, BigInteger, BigInteger> i, Func<decimal, decimal, decimal> d, Func<double, double, double> f)
    {
        if (a.IsInteger && b.IsInteger)
        {
            return NumberValue.Of(i(a.Integer, b.Integer));
        }

        if (a.TryDecimal(out var x) && b.TryDecimal(out var y))
        {
            try
            {
                return NumberValue.Of(d(x, y));
            }
            catch (OverflowException)
            {
                // Falls through to double.
            }
        }

        return Double(f(a.AsDouble(), b.AsDouble()));
    }

    public static NumberValue Double(double f) => NumberValue.Of(f) ?? throw BuiltinException.Error("arithmetic result out of range");

    public static NumberValue Round(NumberValue n, MidpointRounding mode)
    {
        if (n.IsInteger)
        {
            return n;
        }

        if (n.TryDecimal(out var d))
        {
            return NumberValue.Of(Math.Round(d, mode));
        }

        return Double(Math.Round(n.AsDouble(), mode));
    }

    public static NumberValue Floor(NumberValue n) => n.IsInteger ? n : n.TryDecimal(out var d) ? NumberValue.Of(Math.Floor(d)) : Double(Math.Floor(n.AsDouble()));

    public static NumberValue Ceil(NumberValue n) => n.IsInteger ? n : n.TryDecimal(out var d) ? NumberValue.Of(Math.Ceiling(d)) : Double(Math.Ceiling(n.AsDouble()));

    public static NumberValue Abs(NumberValue n) => n.Sign >= 0 ? n : Sub(NumberValue.Zero, n);
}
