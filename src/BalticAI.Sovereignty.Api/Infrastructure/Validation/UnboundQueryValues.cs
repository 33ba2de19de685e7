using System.Globalization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Metadata;

namespace BalticAI.Sovereignty.Api.Infrastructure.Validation;

/// <summary>
/// The typed query parameters of the matched endpoint (a page's `limit`, a `flagged` filter, a tree size) whose values
/// the framework could not bind, each named as the query names it with what it expects: a client reads them like the
/// routes' own checks (<see cref="PageQuery"/>), and the framework's message, which names C# types, stays in.
/// </summary>
internal static class UnboundQueryValues
{
    private static readonly Dictionary<Type, (Func<string, bool> Parses, string Expected)> Kinds = new()
    {
        [typeof(int)] = (s => int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out _), "must be a whole number"),
        [typeof(long)] = (s => long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out _), "must be a whole number"),
        [typeof(double)] = (s => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out _), "must be a number"),
        [typeof(decimal)] = (s => decimal.TryParse(s, NumberStyles.Number, CultureInfo.InvariantCulture, out _), "must be a number"),
        [typeof(bool)] = (s => bool.TryParse(s, out _), "must be true or false"),
        [typeof(Guid)] = (s => Guid.TryParse(s, out _), "must be a UUID"),
        [typeof(DateTimeOffset)] = (s => DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
            "must be an RFC 3339 date-time, e.g. 2026-11-29T10:00:00Z"),
        [typeof(DateOnly)] = (s => DateOnly.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.None, out _), "must be a date, e.g. 2026-11-29"),
    };

    /// <summary>Empty when every typed query value binds (the failure was elsewhere, or of a type not listed here).</summary>
    public static FieldErrors Find(HttpContext context)
    {
        var errors = new FieldErrors();
        // The exception handler has cleared the request's endpoint by now; its feature keeps the one that threw.
        if (context.Features.Get<IExceptionHandlerFeature>()?.Endpoint is not RouteEndpoint endpoint)
        {
            return errors;
        }
        foreach (var parameter in endpoint.Metadata.GetOrderedMetadata<IParameterBindingMetadata>())
        {
            if (DeclaredQuery.QueryName(parameter, endpoint) is not { } name || KindOf(parameter.ParameterInfo.ParameterType) is not { } kind)
            {
                continue;
            }
            // The typed lists page with PageQuery.Check, so their limit is named as its range check names it.
            var expected = name == PageQuery.Limit ? PageQuery.LimitFault(PageQuery.MaxLimit) : kind.Expected;
            var values = context.Request.Query[name];
            if (values.Count == 0)
            {
                if (!parameter.IsOptional)
                {
                    errors.Add(name, "is required and " + expected);
                }
                continue;
            }
            if (!kind.Parses(values.ToString()))
            {
                errors.Add(name, expected);
            }
        }
        return errors;
    }

    private static (Func<string, bool> Parses, string Expected)? KindOf(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsEnum)
        {
            return (s => Enum.TryParse(type, s, ignoreCase: true, out _), $"must be one of {string.Join(", ", Enum.GetNames(type))}");
        }
        return Kinds.TryGetValue(type, out var kind) ? kind : null;
    }
}
