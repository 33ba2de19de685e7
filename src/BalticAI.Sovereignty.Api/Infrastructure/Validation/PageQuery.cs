namespace BalticAI.Sovereignty.Api.Infrastructure.Validation;

/// <summary>The paging and organisation parameters the document lists (datasets, training jobs, model versions) share.</summary>
public static class PageQuery
{
    public const int DefaultLimit = 25;
    public const int MaxLimit = 100;

    /// <summary>
    /// Names a `cursor` given but not <paramref name="decoded"/> (one this API did not issue) and a `limit` out of range;
    /// the page size to read otherwise.
    /// </summary>
    public static int Check(string? cursor, bool decoded, int? limit, FieldErrors errors)
    {
        if (cursor is not null && !decoded)
        {
            errors.Add("cursor", "is not a cursor this API issued");
        }
        if (limit is < 1 or > MaxLimit)
        {
            errors.Add("limit", $"must be between 1 and {MaxLimit}");
        }
        return limit ?? DefaultLimit;
    }

    /// <summary>An organisation id filter: it reaches PostgreSQL as text, which refuses a NUL (answered as an outage).</summary>
    public static void CheckOrganisation(string parameter, string? value, FieldErrors errors)
    {
        if (value is not null && (value.Length is 0 or > 200 || value.Any(char.IsControl)))
        {
            errors.Add(parameter, "must be an organisation id (at most 200 characters, no control characters)");
        }
    }
}
