using System.Globalization;
using BalticAI.Sovereignty.Api.Infrastructure.Problems;
using BalticAI.Sovereignty.Api.Infrastructure.Telemetry;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace BalticAI.Sovereignty.Api.Infrastructure.Hardening;

/// <summary>
/// Size and time limits of one request (`Api:*`). A request that runs past its time is cancelled and
/// answered 503 with Retry-After, like any other dependency that cannot answer in time: a write either
/// committed whole before the cancellation or not at all, and the Idempotency-Key makes a retry safe.
/// 504 is left to gateways, whose meaning it is.
/// </summary>
internal static class RequestLimits
{
    public static void AddTo(IServiceCollection services)
    {
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<RequestLimitsOptions>>((kestrel, limits) =>
        {
            kestrel.Limits.MaxRequestBodySize = limits.Value.MaxRequestBodyBytes;
            kestrel.Limits.RequestHeadersTimeout = limits.Value.RequestHeadersTimeout;
            kestrel.AddServerHeader = false;
        });
        services.AddRequestTimeouts();
        services.AddOptions<RequestTimeoutOptions>().Configure<IOptions<RequestLimitsOptions>>((timeouts, limits) =>
            timeouts.DefaultPolicy = new RequestTimeoutPolicy
            {
                Timeout = limits.Value.RequestTimeout,
                TimeoutStatusCode = StatusCodes.Status503ServiceUnavailable,
                WriteTimeoutResponse = context => WriteTimeoutAsync(context, limits.Value.RequestTimeout),
            });
    }

    private static async Task WriteTimeoutAsync(HttpContext context, TimeSpan timeout)
    {
        var retryAfter = context.RequestServices.GetRequiredService<IOptions<ProblemOptions>>().Value.RetryAfterSeconds;
        context.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        context.RequestServices.GetRequiredService<BrokerTelemetry>().DependencyUnavailable("request timeout");
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails =
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "Service unavailable",
                Detail = string.Create(CultureInfo.InvariantCulture,
                    $"The request did not complete within {timeout.TotalSeconds:0.###} s and was cancelled; a write was recorded completely or not at all. Retry later with the same Idempotency-Key."),
            },
        });
    }
}

internal sealed class RequestLimitsOptionsValidator : IValidateOptions<RequestLimitsOptions>
{
    public ValidateOptionsResult Validate(string? name, RequestLimitsOptions options)
    {
        var failures = new List<string>();
        var section = RequestLimitsOptions.SectionName;
        if (options.MaxRequestBodyBytes is < 1024 or > 256L * 1024 * 1024)
        {
            failures.Add($"{section}:MaxRequestBodyBytes is {options.MaxRequestBodyBytes}; it must be between 1024 and 268435456 bytes");
        }
        if (options.RequestTimeout < TimeSpan.FromMilliseconds(100) || options.RequestTimeout > TimeSpan.FromMinutes(10))
        {
            failures.Add($"{section}:RequestTimeout is {options.RequestTimeout}; it must be between 00:00:00.1 and 00:10:00");
        }
        if (options.RequestHeadersTimeout < TimeSpan.FromSeconds(1) || options.RequestHeadersTimeout > TimeSpan.FromMinutes(2))
        {
            failures.Add($"{section}:RequestHeadersTimeout is {options.RequestHeadersTimeout}; it must be between 00:00:01 and 00:02:00");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
