using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace BalticAI.Sovereignty.RegulatorInbox.Health;

/// <summary>
/// `/health/live` (the process answers), `/health/ready` (database and feed queue: what an orchestrator routes and
/// restarts on) and `/health/integrity` (what a regulator's monitoring alerts on: see <see cref="IntegrityHealthCheck"/>).
/// Integrity is apart from readiness because restarting an inbox mends none of it. Unhealthy is 503, degraded and
/// healthy 200, each with a JSON body naming every check, its status, description and figures.
/// </summary>
public static class InboxHealth
{
    private const string ReadyTag = "ready";
    private const string IntegrityTag = "integrity";

    public static IServiceCollection AddInboxHealth(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<ReceivingHealthCheck>("receiving", tags: [ReadyTag], timeout: TimeSpan.FromSeconds(3))
            .AddCheck<IntegrityHealthCheck>("integrity", tags: [IntegrityTag], timeout: TimeSpan.FromSeconds(5));
        return services;
    }

    public static IEndpointRouteBuilder MapInboxHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag), ResponseWriter = WriteAsync });
        app.MapHealthChecks("/health/integrity", new HealthCheckOptions { Predicate = c => c.Tags.Contains(IntegrityTag), ResponseWriter = WriteAsync });
        return app;
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(
                e => e.Key,
                e => new { status = e.Value.Status.ToString(), description = e.Value.Description, data = e.Value.Data }),
        };
        return JsonSerializer.SerializeAsync(context.Response.Body, body, JsonSerializerOptions.Web, context.RequestAborted);
    }
}
