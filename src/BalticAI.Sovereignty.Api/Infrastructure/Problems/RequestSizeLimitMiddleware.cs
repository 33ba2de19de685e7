using Microsoft.AspNetCore.Http.Features;

namespace BalticAI.Sovereignty.Api.Infrastructure.Problems;

public sealed class RequestLimitsOptions
{
    public const string SectionName = "Api";

    /// <summary>Largest request body accepted, in bytes (default 1 MiB).</summary>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Longest a request may run before it is cancelled and answered 503 (default 30 s).</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest Kestrel waits for a request's headers (slow-header clients; default 10 s).</summary>
    public TimeSpan RequestHeadersTimeout { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>
/// Applies the configured body limit to every request before anything reads it, so an oversized
/// body is refused with 413 whether or not the client announced its length.
/// </summary>
internal sealed class RequestSizeLimitMiddleware(RequestDelegate next, Microsoft.Extensions.Options.IOptions<RequestLimitsOptions> options)
{
    public Task InvokeAsync(HttpContext context)
    {
        var limit = options.Value.MaxRequestBodyBytes;
        if (context.Request.ContentLength > limit)
        {
            throw new BadHttpRequestException($"The request body is larger than {limit} bytes.", StatusCodes.Status413PayloadTooLarge);
        }
        var feature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (feature is { IsReadOnly: false })
        {
            feature.MaxRequestBodySize = limit;
        }
        else
        {
            context.Request.Body = new LimitedReadStream(context.Request.Body, limit);
        }
        return next(context);
    }
}
