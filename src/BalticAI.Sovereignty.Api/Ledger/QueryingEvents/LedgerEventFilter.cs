using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

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

    private static readonly string[] Known = ["country", "dataset", "job", "model", "type", "from", "to", "cursor", "limit"];

    /// <summary>
    /// Parses the query string; every fault is reported under the parameter's name. A route that fixes some of
    /// the filter itself names the parameters it takes in <paramref name="known"/>; the others are unknown there.
    /// </summary>
    public static (LedgerEventFilter? Filter, Dictionary<string, string>? Errors) Parse(IQueryCollection query, IReadOnlyCollection<string>? known = null)
    {
        known ??= Known;
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in query.Keys.Where(k => !known.Contains(k, StringComparer.Ordinal)))
        {
            errors[key] = $"Unknown parameter; known are {string.Join(", ", known)}.";
        }
        string? Single(string name)
        {
            var values = query[name];
            if (values.Count > 1)
            {
                errors[name] = "Give this parameter once.";
                return null;
            }
            var value = values.Count == 1 ? values[0] : null;
            if (value is { Length: 0 })
            {
                errors[name] = "Must not be empty.";
                return null;
            }
            return value;
        }

        var country = Single("country");
        if (country is not null && !FilterPatterns.Country().IsMatch(country))
        {
            errors["country"] = "An ISO 3166-1 alpha-2 code, e.g. PL.";
        }
        var dataset = ParseGuid(Single("dataset"), "dataset", errors);
        var job = ParseGuid(Single("job"), "job", errors);
        var model = Single("model");
        if (model is not null && (model.Length > 200 || model.Any(char.IsControl)))
        {
            errors["model"] = "A model id or name of at most 200 characters.";
        }
        var types = new List<string>();
        foreach (var value in query["type"].SelectMany(v => (v ?? "").Split(',')))
        {
            if (!FilterPatterns.EventType().IsMatch(value))
            {
                errors["type"] = "Event types as recorded (dataset_registered) or as named in the API (DatasetRegistered), comma-separated.";
                break;
            }
            // Each type is a range of its own in the query, so a type named twice (DatasetRegistered,dataset_registered)
            // would fill the page's limit with every event twice and end the pages early.
            if (!types.Contains(ToAlias(value)))
            {
                types.Add(ToAlias(value));
            }
        }
        var from = ParseTime(Single("from"), "from", errors);
        var to = ParseTime(Single("to"), "to", errors);
        if (from is not null && to is not null && to <= from)
        {
            errors["to"] = "Must be later than from.";
        }
        var after = ParseCursor(Single("cursor"), errors);
        var limit = DefaultLimit;
        if (Single("limit") is { } limitText && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > MaxLimit))
        {
            errors["limit"] = $"An integer from 1 to {MaxLimit}.";
        }
        return errors.Count > 0
            ? (null, errors)
            : (new LedgerEventFilter(country?.ToUpperInvariant(), dataset, job, model, types, from, to, after, limit), null);
    }

    /// <summary>Marten records an event type under the snake-case alias of its class name.</summary>
    public static string ToAlias(string type) => FilterPatterns.WordBoundary().Replace(type, "$1_$2").ToLowerInvariant();

    public static string Cursor(long after) => Base64Url.EncodeToString(Encoding.ASCII.GetBytes("seq:" + after.ToString(CultureInfo.InvariantCulture)));

    private static long ParseCursor(string? cursor, Dictionary<string, string> errors)
    {
        if (cursor is null)
        {
            return 0;
        }
        try
        {
            var text = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(cursor));
            if (text.StartsWith("seq:", StringComparison.Ordinal)
                && long.TryParse(text.AsSpan(4), NumberStyles.None, CultureInfo.InvariantCulture, out var after))
            {
                return after;
            }
        }
        catch (FormatException)
        {
            // Reported below like any other cursor the broker did not issue.
        }
        errors["cursor"] = "Not a cursor this broker issued; use the `next` link of a previous page.";
        return 0;
    }

    private static Guid? ParseGuid(string? value, string name, Dictionary<string, string> errors)
    {
        if (value is null)
        {
            return null;
        }
        if (Guid.TryParse(value, out var id))
        {
            return id;
        }
        errors[name] = "A UUID.";
        return null;
    }

    private static DateTimeOffset? ParseTime(string? value, string name, Dictionary<string, string> errors)
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
        errors[name] = "An RFC 3339 time (2026-11-29T10:00:00Z) or a date (2026-11-29, midnight UTC).";
        return null;
    }
}

internal static partial class FilterPatterns
{
    [GeneratedRegex("^[A-Za-z]{2}$")]
    public static partial Regex Country();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]{0,99}$")]
    public static partial Regex EventType();

    [GeneratedRegex("([a-z0-9])([A-Z])")]
    public static partial Regex WordBoundary();
}
