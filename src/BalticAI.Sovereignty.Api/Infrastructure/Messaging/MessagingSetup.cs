using BalticAI.Sovereignty.Api.Decisions.Grants.Revoking;
using BalticAI.Sovereignty.Api.Provenance.Propagating;
using MassTransit;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace BalticAI.Sovereignty.Api.Infrastructure.Messaging;

public sealed class RabbitMqOptions
{
    public const string SectionName = "RabbitMq";

    public string Host { get; set; } = "127.0.0.1";
    public ushort Port { get; set; } = 5672;
    public string VirtualHost { get; set; } = "/";
    public string Username { get; set; } = "guest";
    public string Password { get; set; } = "guest";
}

public static class MessagingSetup
{
    public static WebApplicationBuilder AddSovereigntyMessaging(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(RabbitMqOptions.SectionName).Get<RabbitMqOptions>() ?? new RabbitMqOptions();
        builder.Services.AddMassTransit(bus =>
        {
            // RabbitMQ down must not make the broker unready: the ledger is the outbox and catches up.
            bus.ConfigureHealthCheckOptions(health =>
            {
                health.Name = "rabbitmq";
                health.MinimalFailureStatus = HealthStatus.Degraded;
                health.Tags.Add(Health.HealthSetup.ReadyTag);
            });
            bus.UsingRabbitMq((context, rabbit) =>
            {
                rabbit.Host(options.Host, options.Port, options.VirtualHost, host =>
                {
                    host.Username(options.Username);
                    host.Password(options.Password);
                });
                rabbit.ConfigureGrantRevocations();
                rabbit.ConfigureModelFlags();
                rabbit.ConfigureEndpoints(context);
            });
        });
        return builder;
    }
}
