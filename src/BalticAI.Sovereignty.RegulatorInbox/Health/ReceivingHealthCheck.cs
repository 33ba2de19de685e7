using BalticAI.Sovereignty.RegulatorInbox.Receiving;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace BalticAI.Sovereignty.RegulatorInbox.Health;

/// <summary>Ready: the inbox's database answers (it can serve what it holds) and its consumer is on the feed queue.</summary>
public sealed class ReceivingHealthCheck(NpgsqlDataSource database, ConsumerState consumer) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var command = database.CreateCommand("select 1");
            await command.ExecuteScalarAsync(cancellationToken);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("PostgreSQL does not answer: " + e.Message);
        }

        return consumer.Connected
            ? HealthCheckResult.Healthy("PostgreSQL answers and the feed queue is consumed")
            : HealthCheckResult.Unhealthy("not consuming the feed queue (RabbitMQ unreachable, or reconnecting)");
    }
}
