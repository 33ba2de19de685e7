using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.OpenApi;

namespace BalticAI.Sovereignty.Api.Infrastructure.OpenApi;

/// <summary>
/// The OpenAPI document is generated once per process and served from memory. Generating it runs every endpoint's
/// metadata and every transformer (about 0.2 s of the broker's CPU per request on a 2-core host, far more while the JIT is
/// cold), and the route is anonymous: uncached, anyone could spend the broker's CPU by asking for it in a loop, and a
/// cold first request on a loaded host outlived the request timeout after the response had started, so the client
/// received a 200 with half a document.
/// </summary>
internal sealed class OpenApiDocumentCache : IOutputCachePolicy
{
    public const string PolicyName = "openapi-document";

    /// <summary>
    /// Caches for every caller, a token or not, under any Host and query: the document is the same for all (the
    /// framework's default policy skips any request carrying Authorization and keys by host and every query value, so
    /// anyone could force a fresh generation per request). Concurrent first requests wait for one generation.
    /// </summary>
    public ValueTask CacheRequestAsync(OutputCacheContext context, CancellationToken cancellation)
    {
        context.EnableOutputCaching = true;
        context.AllowCacheLookup = true;
        context.AllowCacheStorage = true;
        context.AllowLocking = true;
        context.CacheVaryByRules.VaryByHost = false;
        context.ResponseExpirationTimeSpan = TimeSpan.FromDays(365);
        return ValueTask.CompletedTask;
    }

    public ValueTask ServeFromCacheAsync(OutputCacheContext context, CancellationToken cancellation) => ValueTask.CompletedTask;

    /// <summary>Only a complete 200 is kept; a failed generation is tried again by the next request.</summary>
    public ValueTask ServeResponseAsync(OutputCacheContext context, CancellationToken cancellation)
    {
        if (context.HttpContext.Response.StatusCode != StatusCodes.Status200OK)
        {
            context.AllowCacheStorage = false;
        }
        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// Leaves the document without `servers`. The framework would name the host of whichever request generated it, which a
/// cached document would then show every later caller (a Host header chosen by anyone). Without `servers`, OpenAPI
/// resolves the paths against the document's own location, which is where the caller fetched it.
/// </summary>
internal sealed class NoServersTransformer : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Servers = [];
        return Task.CompletedTask;
    }
}
