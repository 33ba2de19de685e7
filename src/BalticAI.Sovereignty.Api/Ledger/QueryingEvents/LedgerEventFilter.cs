using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using BalticAI.Sovereignty.Api.Infrastructure.Validation;
using Microsoft.Extensions.Primitives;

namespace BalticAI.Sovereignty.Api.Ledger.QueryingEvents;

/// <summary>A validated query of <c>GET /ledger/events</c>; <see cref="After"/> is the cursor's sequence.</summary>
public sealed record LedgerEventFilter(
    string? Country,
    Guid? Dataset,
    Guid? Job,
    string? Model,
    IReadOnlyList<string> Types,
    DateTimeOffset? From,
    DateTimeOffset? To,
    long After,
    int Limit)
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    /// <summary>The query parameters of <c>GET /ledger/events</c>; a record's own listing takes some of them.</summary>
    public static readonly IReadOnlyList<string> Parameters = ["country", "dataset", "job", "model", "type", "from", "to", "cursor", "limit"];

    /// <summary>
    /// Parses the query string, naming every fault in <paramref name="errors"/> under its parameter; null when there is one.
    /// A route that fixes some of the filter itself names the parameters it takes in <paramref name="known"/> (the others are
    /// unknown there) and, when it lists only some event types, those in <paramref name="listed"/> (recorded aliases).
    /// </summary>
    public static LedgerEventFilter? Parse(IQueryCollection query, FieldErrors errors,
        IReadOnlyCollection<string>? known = null, IReadOnlyCollection<string>? listed = null)
    {
        known ??= Parameters;
        foreach (var key in query.Keys.Where(k => !known.Contains(k, StringComparer.OrdinalIgnoreCase)))
        {
            errors.Add(key, DeclaredQuery.Unknown(known));
        }
        string? Single(string name)
        {
            var values = query[name];
            if (values.Count > 1)
            {
                errors.Add(name, DeclaredQuery.GivenOnce);
                return null;
            }
            var value = values.Count == 1 ? values[0] : null;
            if (value is { Length: 0 })
            {
                errors.Add(name, "must not be empty");
                return null;
            }
            return value;
        }

        var country = CountryFilter.Read(Single("country"), "country", errors);
        var dataset = ParseGuid(Single("dataset"), "dataset", errors);
        var job = ParseGuid(Single("job"), "job", errors);
        var model = Single("model");
        if (model is not null && (model.Length > 200 || model.Any(char.IsControl)))
        {
            errors.Add("model", "must be a model id or name of at most 200 characters, no control characters");
        }
        var types = ParseTypes(query["type"], listed, errors);
        var from = ParseTime(Single("from"), "from", errors);
        var to = ParseTime(Single("to"), "to", errors);
        if (from is not null && to is not null && to <= from)
        {
            errors.Add("to", "must be later than from");
        }
        var cursor = Single("cursor");
        var after = cursor is null ? 0 : DecodeCursor(cursor);
        PageQuery.CheckCursor(cursor, after is not null, errors);
        var limit = PageQuery.ReadLimit(Single("limit"), DefaultLimit, MaxLimit, errors);
        return errors.IsEmpty ? new LedgerEventFilter(country, dataset, job, model, types, from, to, after ?? 0, limit) : null;
    }

    /// <summary>Marten records an event type under the snake-case alias of its class name.</summary>
    public static string ToAlias(string type) => FilterPatterns.WordBoundary().Replace(type, "$1_$2").ToLowerInvariant();

    public static string Cursor(long after) => Base64Url.EncodeToString(Encoding.ASCII.GetBytes("seq:" + after.ToString(CultureInfo.InvariantCulture)));

    /// <summary>The sequence a cursor this broker issued encodes; null for any other text.</summary>
    private static long? DecodeCursor(string cursor)
    {
        try
        {
            var text = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(cursor));
            return text.StartsWith("seq:", StringComparison.Ordinal)
                && long.TryParse(text.AsSpan(4), NumberStyles.None, CultureInfo.InvariantCulture, out var after)
                ? after
                : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>Event types, repeated or comma-separated, each once as its recorded alias; only <paramref name="listed"/> ones when given.</summary>
    private static List<string> ParseTypes(StringValues values, IReadOnlyCollection<string>? listed, FieldErrors errors)
    {
        var types = new List<string>();
        foreach (var value in values.SelectMany(v => (v ?? "").Split(',')))
        {
            if (!FilterPatterns.EventType().IsMatch(value))
            {
                errors.Add("type", "must be event types as recorded (dataset_registered) or as named in the API (DatasetRegistered), comma-separated");
                break;
            }
            var alias = ToAlias(value);
            if (listed is not null && !listed.Contains(alias))
            {
                errors.Add("type", $"must be one of {string.Join(", ", listed)}; '{value}' is not");
                break;
            }
            // Each type is a range of its own in the query, so a type named twice (DatasetRegistered,dataset_registered)
            // would fill the page's limit with every event twice and end the pages early.
            if (!types.Contains(alias))
            {
                types.Add(alias);
            }
        }
        return types;
    }

    internal static Guid? ParseGuid(string? value, string name, FieldErrors errors)
    {
        if (value is null)
        {
            return null;
        }
        if (Guid.TryParse(value, out var id))
        {
            return id;
        }
        errors.Add(name, "must be a UUID");
        return null;
    }

    internal static DateTimeOffset? ParseTime(string? value, string name, FieldErrors errors)
    {
        if (value is null)
        {
            return null;
        }
        // RFC 3339 §5.6 allows a lower-case "t" and "z"; no other letter can occur in either format.
        if (DateTimeOffset.TryParseExact(value.ToUpperInvariant(), ["yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd"], CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal, out var time))
        {
            return time;
        }
        errors.Add(name, "must be an RFC 3339 time (2026-11-29T10:00:00Z) or a date (2026-11-29, midnight UTC)");
        return null;
    }
}

internal static partial class FilterPatterns
{
    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]{0,99}$")]
    public static partial Regex EventType();

    [GeneratedRegex("([a-z0-9])([A-Z])")]
    public static partial Regex WordBoundary();
}
