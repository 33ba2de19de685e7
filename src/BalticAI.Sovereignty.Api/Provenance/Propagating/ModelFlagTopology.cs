using BalticAI.Sovereignty.Contracts.Provenance;
using MassTransit;
using RabbitMQ.Client;

namespace BalticAI.Sovereignty.Api.Provenance.Propagating;

public static class ModelFlagTopology
{
    /// <summary>Model flag notices go to one topic exchange, routed by the training system's organisation id.</summary>
    public static void ConfigureModelFlags(this IRabbitMqBusFactoryConfigurator rabbit)
    {
        rabbit.Message<ModelFlagNotice>(m => m.SetEntityName(ModelFlagNotice.Exchange));
        rabbit.Publish<ModelFlagNotice>(p => p.ExchangeType = ExchangeType.Topic);
        rabbit.Send<ModelFlagNotice>(s => s.UseRoutingKeyFormatter(c => c.Message.TrainingSystem));
    }
}
