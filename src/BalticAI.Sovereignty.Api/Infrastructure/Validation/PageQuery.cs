using System.Globalization;

namespace BalticAI.Sovereignty.Api.Infrastructure.Validation;

/// <summary>
/// The paging and organisation parameters the document lists (datasets, training jobs, model versions) share; the ledger's
/// event listings page the same way with limits of their own.
/// </summary>
public static class PageQuery
{
    public const string Limit = "limit";
    public const int DefaultLimit = 25;
    public const int MaxLimit = 100;

    /// <summary>
    /// What every route says of a bad `limit`, text or out of range alike, so that a client reads one message whether the
    /// route binds its limit (<see cref="UnboundQueryValues"/>) or reads it by hand (<see cref="ReadLimit"/>).
    /// </summary>
    public static string LimitFault(int max) => $"must be a whole number between 1 and {max}";

    /// <summary>
    /// Names a `cursor` given but not <paramref name="decoded"/> (one this API did not issue) and a `limit` out of range;
    /// the page size to read otherwise.
    /// </summary>
    public static int Check(string? cursor, bool decoded, int? limit, FieldErrors errors)
    {
        CheckCursor(cursor, decoded, errors);
        CheckLimit(limit, MaxLimit, errors);
        return limit ?? DefaultLimit;
    }

    public static void CheckCursor(string? cursor, bool decoded, FieldErrors errors)
    {
        if (cursor is not null && !decoded)
        {
            errors.Add("cursor", "is not a cursor this API issued");
        }
    }

    /// <summary>
    /// A `limit` read from the query text by a route that checks its whole query itself, so that a bad limit is named
    /// beside the other faults rather than alone by the framework's binding: digits only, from 1 to <paramref name="max"/>.
    /// </summary>
    public static int ReadLimit(string? text, int defaultLimit, int max, FieldErrors errors)
    {
        if (text is null)
        {
            return defaultLimit;
        }
        // Text that is not a whole number (a sign included) is no more a page size than 0 is, and is named alike.
        var parsed = int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var limit);
        CheckLimit(parsed ? limit : 0, max, errors);
        return limit;
    }

    /// <summary>An organisation id filter: it reaches PostgreSQL as text, which refuses a NUL (answered as an outage).</summary>
    /// <summary>An id filter (`siteId`, `datasetId`, ...): a GUID in its hyphenated form, null when absent or named among the errors.</summary>
    public static Guid? ReadId(string parameter, string? text, string what, FieldErrors errors)
    {
        if (text is null)
        {
            return null;
        }
        if (Guid.TryParseExact(text, "D", out var id))
        {
            return id;
        }
        errors.Add(parameter, $"must be {what} (a GUID)");
        return null;
    }

    public static void CheckOrganisation(string parameter, string? value, FieldErrors errors)
    {
        if (value is not null && (value.Length is 0 or > 200 || value.Any(char.IsControl)))
        {
            errors.Add(parameter, "must be an organisation id (at most 200 characters, no control characters)");
        }
    }

    private static void CheckLimit(int? limit, int max, FieldErrors errors)
    {
        if (limit < 1 || limit > max)
        {
            errors.Add(Limit, LimitFault(max));
        }
    }
}
