using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing.Template;

namespace BalticAI.Sovereignty.Api.Infrastructure.Problems;

/// <summary>
/// A 415 names the media types the route accepts, in its detail and in <c>Accept-Post</c> (W3C LDP, registered with
/// IANA) or <c>Accept-Patch</c> (RFC 5789), so a client can correct the request without reading the API description.
/// Routing answers a body no endpoint of the path accepts before any handler runs, with an endpoint of its own that
/// carries nothing of the route; the routes are then matched again here.
/// </summary>
internal static class UnsupportedMediaTypes
{
    public static void Describe(ProblemDetailsContext context)
    {
        if (context.ProblemDetails.Status != StatusCodes.Status415UnsupportedMediaType)
        {
            return;
        }
        var http = context.HttpContext;
        var accepted = Accepted(http);
        if (accepted.Count == 0)
        {
            return;
        }
        var method = http.Request.Method;
        if (HttpMethods.IsPost(method) || HttpMethods.IsPatch(method))
        {
            http.Response.Headers[HttpMethods.IsPost(method) ? "Accept-Post" : "Accept-Patch"] = string.Join(", ", accepted);
        }
        context.ProblemDetails.Detail ??= accepted.Count == 1
            ? $"Send the body as {accepted[0]}."
            : $"Send the body as {string.Join(", ", accepted.SkipLast(1))} or {accepted[^1]}.";
    }

    private static IReadOnlyList<string> Accepted(HttpContext http)
    {
        if (http.GetEndpoint()?.Metadata.GetMetadata<IAcceptsMetadata>() is { } own)
        {
            return own.ContentTypes;
        }
        var method = http.Request.Method;
        return http.RequestServices.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.Contains(method, StringComparer.OrdinalIgnoreCase) == true)
            .Where(e => new TemplateMatcher(new RouteTemplate(e.RoutePattern), new RouteValueDictionary()).TryMatch(http.Request.Path, new RouteValueDictionary()))
            .SelectMany(e => e.Metadata.GetMetadata<IAcceptsMetadata>()?.ContentTypes ?? [])
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
    }
}
