using System.Text.Json;

namespace BalticAI.Sovereignty.Api.Infrastructure.Validation;

/// <summary>
/// Refuses JSON numbers that no double holds (RFC 7493 §2.2): digests are taken over the RFC 8785 form,
/// which writes every number as a double, so 1e400 has no digest and 1e-400 would share 0's.
/// <see cref="RequestBody"/> applies it to every number of a request body.
/// </summary>
public static class NumberRange
{
    public static string? Problem(JsonElement number)
    {
        // Parsed as IEEE 754 does: a magnitude beyond double's reads as infinity, not as a failure.
        if (!number.TryGetDouble(out var value) || !double.IsFinite(value))
        {
            return "is too large for a double-precision number";
        }
        return value == 0 && HasNonZeroDigit(number.GetRawText()) ? "is too small for a double-precision number (it would read as 0)" : null;
    }

    /// <summary>A non-zero digit before the exponent: the number is not zero, whatever it rounds to.</summary>
    private static bool HasNonZeroDigit(string text)
    {
        foreach (var c in text)
        {
            if (c is 'e' or 'E')
            {
                return false;
            }
            if (c is >= '1' and <= '9')
            {
                return true;
            }
        }
        return false;
    }
}
