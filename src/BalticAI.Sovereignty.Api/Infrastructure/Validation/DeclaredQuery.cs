using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Primitives;

namespace BalticAI.Sovereignty.Api.Infrastructure.Validation;

/// <summary>
/// The query parameters an operation declares, read from its parameters' binding metadata so that no route keeps a list
/// of its own, and the refusal of any other: an ignored key is read by the caller as obeyed (`trainingSytem=x` answers
/// every job as if filtered; `dryRun=true` on an access request still records a decision).
/// </summary>
public static class DeclaredQuery
{
    public const string GivenOnce = "must be given once";

    public static string Unknown(IReadOnlyCollection<string> known) => known.Count == 0
        ? "is not a parameter of this route; it takes none"
        : $"is not a parameter of this route; known are {string.Join(", ", known)}";

    /// <summary>
    /// Call after authorisation, so that a caller without the right to an operation learns nothing of its parameters.
    /// </summary>
    public static WebApplication UseDeclaredQuery(this WebApplication app)
    {
        app.UseMiddleware<UndeclaredQueryRefusal>();
        return app;
    }

    /// <summary>
    /// For a route that reads its whole query by hand and names unknown and repeated parameters itself, beside its other
    /// faults (the ledger's event listings): the parameters it takes are known only to its own parser.
    /// </summary>
    public static TBuilder ChecksItsOwnQuery<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(OwnQueryCheck.Instance);

    /// <summary>The query key a parameter binds from, or null when it binds from the route, a header, the body or services.</summary>
    internal static string? QueryName(IParameterBindingMetadata parameter, RouteEndpoint endpoint)
    {
        var attributes = parameter.ParameterInfo.GetCustomAttributes().ToList();
        if (attributes.OfType<IFromQueryMetadata>().FirstOrDefault() is { } fromQuery)
        {
            return fromQuery.Name ?? parameter.Name;
        }
        var elsewhere = attributes.Any(a => a is IFromRouteMetadata or IFromHeaderMetadata or IFromBodyMetadata or IFromFormMetadata or IFromServiceMetadata);
        // The framework binds text from the query as it does a value with TryParse, though string has no TryParse.
        var text = parameter.ParameterInfo.ParameterType == typeof(string) || TakesMany(parameter);
        return elsewhere || parameter.HasBindAsync || !(parameter.HasTryParse || text) || endpoint.RoutePattern.GetParameter(parameter.Name) is not null
            ? null
            : parameter.Name;
    }

    /// <summary>
    /// The query parameters <paramref name="endpoint"/> declares, each with whether it may repeat; null for an endpoint this
    /// check leaves alone: one the OpenAPI document does not describe (health probes, the document itself, its Scalar
    /// reference), whose answer no query changes and whose callers (probes, browsers) add keys of their own, and one that
    /// checks its own query.
    /// </summary>
    internal static IReadOnlyList<(string Name, bool TakesMany)>? Of(Endpoint endpoint)
    {
        if (endpoint is not RouteEndpoint route
            || route.Metadata.GetMetadata<MethodInfo>() is null
            || route.Metadata.GetMetadata<IHttpMethodMetadata>() is null
            || route.Metadata.GetMetadata<IExcludeFromDescriptionMetadata>() is { ExcludeFromDescription: true }
            || route.Metadata.GetMetadata<OwnQueryCheck>() is not null)
        {
            return null;
        }
        return route.Metadata.GetOrderedMetadata<IParameterBindingMetadata>()
            .Select(p => (Name: QueryName(p, route), TakesMany: TakesMany(p)))
            .Where(p => p.Name is not null)
            .Select(p => (p.Name!, p.TakesMany))
            .ToList();
    }

    /// <summary>An array or StringValues binds every value of its key; any other type binds one.</summary>
    private static bool TakesMany(IParameterBindingMetadata parameter)
    {
        var type = parameter.ParameterInfo.ParameterType;
        return type.IsArray || type == typeof(StringValues);
    }

    private sealed class OwnQueryCheck
    {
        public static readonly OwnQueryCheck Instance = new();
    }
}

/// <summary>Answers "Invalid query" before the handler runs, so a refused request reads and records nothing.</summary>
internal sealed class UndeclaredQueryRefusal(RequestDelegate next)
{
    private readonly ConcurrentDictionary<Endpoint, IReadOnlyList<(string Name, bool TakesMany)>?> _declared = new();

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Request.QueryString.HasValue
            && context.GetEndpoint() is { } endpoint
            && _declared.GetOrAdd(endpoint, DeclaredQuery.Of) is { } declared)
        {
            var errors = new FieldErrors();
            foreach (var (key, values) in context.Request.Query)
            {
                // Case-insensitive, as the framework binds a query key.
                var match = declared.FirstOrDefault(p => string.Equals(p.Name, key, StringComparison.OrdinalIgnoreCase));
                if (match.Name is null)
                {
                    errors.Add(key, DeclaredQuery.Unknown(declared.Select(p => p.Name).ToList()));
                }
                else if (!match.TakesMany && values.Count > 1)
                {
                    // Named as the route names it: the keys given (limit, LIMIT) are one parameter, and the query keeps one of them.
                    errors.Add(match.Name, DeclaredQuery.GivenOnce);
                }
            }
            if (!errors.IsEmpty)
            {
                await errors.ToQueryProblem().ExecuteAsync(context);
                return;
            }
        }
        await next(context);
    }
}
