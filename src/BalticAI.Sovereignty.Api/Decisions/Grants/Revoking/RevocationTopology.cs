using BalticAI.Sovereignty.Contracts.Grants;
using MassTransit;
using RabbitMQ.Client;

namespace BalticAI.Sovereignty.Api.Decisions.Grants.Revoking;

public static class RevocationTopology
{
    /// <summary>Revocations go to one topic exchange, routed by the training system's organisation id.</summary>
    public static void ConfigureGrantRevocations(this IRabbitMqBusFactoryConfigurator rabbit)
    {
        rabbit.Message<GrantRevocationNotice>(m => m.SetEntityName(GrantRevocationNotice.Exchange));
        rabbit.Publish<GrantRevocationNotice>(p => p.ExchangeType = ExchangeType.Topic);
        rabbit.Send<GrantRevocationNotice>(s => s.UseRoutingKeyFormatter(c => c.Message.TrainingSystem));
    }
}
