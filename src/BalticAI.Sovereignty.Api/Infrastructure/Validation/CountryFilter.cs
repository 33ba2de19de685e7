namespace BalticAI.Sovereignty.Api.Infrastructure.Validation;

/// <summary>
/// A `country` query filter: two ASCII letters, either case, read as the upper-case code that facts record.
/// Checked before it reaches PostgreSQL, which refuses a NUL in text (answered as an outage) and compares case exactly.
/// </summary>
public static class CountryFilter
{
    /// <summary>The upper-case code, or null when absent or refused (then <paramref name="errors"/> names the parameter).</summary>
    public static string? Read(string? value, string parameter, FieldErrors errors)
    {
        if (value is null)
        {
            return null;
        }
        if (value.Length != 2 || !value.All(char.IsAsciiLetter))
        {
            errors.Add(parameter, "must be an ISO 3166-1 alpha-2 code, e.g. PL");
            return null;
        }
        return value.ToUpperInvariant();
    }
}
