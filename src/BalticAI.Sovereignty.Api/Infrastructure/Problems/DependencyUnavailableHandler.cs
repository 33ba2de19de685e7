using System.Globalization;
using System.Net.Sockets;
using BalticAI.Sovereignty.Api.Infrastructure.Telemetry;
using BalticAI.Sovereignty.Api.Policies.Engines;
using BalticAI.Sovereignty.Security;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BalticAI.Sovereignty.Api.Infrastructure.Problems;

/// <summary>
/// Fail closed: when the database or the key store cannot answer, the caller gets 503 with
/// Retry-After, and since nothing was committed, nothing is recorded and nothing is granted. Retry-After is
/// when the dependency said it expects to answer again (bounded by <see cref="ProblemOptions.MaxRetryAfter"/>),
/// or <see cref="ProblemOptions.RetryAfterSeconds"/> when it said nothing.
/// </summary>
internal sealed class DependencyUnavailableHandler(
    IProblemDetailsService problems, IOptions<ProblemOptions> options, BrokerTelemetry telemetry, ILogger<DependencyUnavailableHandler> logger)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (Classify(exception) is not { } classified)
        {
            return false;
        }
        var (dependency, hint) = classified;
        var retryAfter = options.Value.RetryAfterFor(hint);
        logger.LogWarning(exception, "{Dependency} unavailable; answering 503 with Retry-After {RetryAfter} s", dependency, retryAfter);
        telemetry.DependencyUnavailable(dependency);
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
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

    /// <summary>The dependency that could not answer, and when it said it would answer again (if it did).</summary>
    private static (string Dependency, TimeSpan? RetryAfter)? Classify(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case SigningUnavailableException signing:
                    return ("key store", signing.RetryAfter);
                case PolicyEngineUnavailableException policy:
                    return ("policy engine", policy.RetryAfter);
                // Only a dry run and a replay show the policy's error; a decision, and anything else, gets no answer.
                case PolicyEvaluationFailedException:
                    return ("policy engine", null);
                case NpgsqlException or SocketException or TimeoutException:
                    return ("database", null);
            }
        }
        return null;
    }
}
