using System.Net.Sockets;
using BalticAI.Sovereignty.Api.Infrastructure.Telemetry;
using BalticAI.Sovereignty.Security;
using Microsoft.AspNetCore.Diagnostics;
using Npgsql;

namespace BalticAI.Sovereignty.Api.Infrastructure.Problems;

/// <summary>
/// Fail closed: when the database or the key store cannot answer, the caller gets 503 with
/// Retry-After, and since nothing was committed, nothing is recorded and nothing is granted.
/// </summary>
internal sealed class DependencyUnavailableHandler(IProblemDetailsService problems, BrokerTelemetry telemetry, ILogger<DependencyUnavailableHandler> logger) : IExceptionHandler
{
    public const int RetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var dependency = Classify(exception);
        if (dependency is null)
        {
            return false;
        }
        logger.LogWarning(exception, "{Dependency} unavailable; answering 503", dependency);
        telemetry.DependencyUnavailable(dependency);
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails =
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "Service unavailable",
                Detail = $"The {dependency} cannot answer; nothing was recorded. Retry later.",
            },
        });
    }

    private static string? Classify(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case SigningUnavailableException:
                    return "key store";
                case Policies.Engines.PolicyEngineUnavailableException:
                    return "policy engine";
                case NpgsqlException or SocketException or TimeoutException:
                    return "database";
            }
        }
        return null;
    }
}
