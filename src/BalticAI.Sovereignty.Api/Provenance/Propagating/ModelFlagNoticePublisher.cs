using BalticAI.Sovereignty.Api.Infrastructure.Messaging;
using BalticAI.Sovereignty.Api.Provenance.ModelVersions;
using BalticAI.Sovereignty.Contracts.Provenance;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Subscriptions;
using MassTransit;

namespace BalticAI.Sovereignty.Api.Provenance.Propagating;

/// <summary>
/// Tells the training system that registered a model version of each flag recorded on it and each flag cleared, from the
/// ledger's <see cref="ModelVersionFlagged"/> and <see cref="ModelVersionUnflagged"/>: the flag stands while RabbitMQ is
/// away and the notice follows when it is back; training systems de-duplicate by event id.
/// </summary>
public sealed class ModelFlagNoticePublisher : LedgerNoticePublisher
{
    public ModelFlagNoticePublisher(IBus bus, ILogger<ModelFlagNoticePublisher> logger)
        : base(bus, logger)
    {
        Name = "ModelFlagNotices";
        IncludeType<ModelVersionFlagged>();
        IncludeType<ModelVersionUnflagged>();
    }

    public override async Task<IChangeListener> ProcessEventsAsync(EventRange page, ISubscriptionController controller, IDocumentOperations operations, CancellationToken cancellationToken)
    {
        var changes = page.Events.Where(e => e.Data is ModelVersionFlagged or ModelVersionUnflagged).ToList();
        if (changes.Count > 0)
        {
            // The model version's view is an inline snapshot, saved with its registration: it names who trained the version.
            var ids = changes.Select(e => e.Data is ModelVersionFlagged f ? f.ModelVersionId : ((ModelVersionUnflagged)e.Data).ModelVersionId).Distinct();
            var models = (await operations.LoadManyAsync<ModelVersionView>(cancellationToken, ids)).ToDictionary(m => m.Id);
            var notices = changes.Select(e => Notice(e, models)).OfType<ModelFlagNotice>().ToList();
            await PublishUntilSentAsync(notices, cancellationToken);
        }
        return NullChangeListener.Instance;
    }

    /// <summary>Pure: the notice of one recorded flag or clearance; null for a model version no longer recorded.</summary>
    public static ModelFlagNotice? Notice(IEvent recorded, IReadOnlyDictionary<Guid, ModelVersionView> models) => recorded.Data switch
    {
        ModelVersionFlagged f when models.TryGetValue(f.ModelVersionId, out var m) =>
            new ModelFlagNotice(recorded.Id, f.ModelId, f.Version, true, f.DatasetId, [f.Reason], m.TrainingSystem, m.Operator, f.FlaggedAt),
        ModelVersionUnflagged u when models.TryGetValue(u.ModelVersionId, out var m) =>
            new ModelFlagNotice(recorded.Id, u.ModelId, u.Version, false, u.DatasetId, u.Reasons, m.TrainingSystem, m.Operator, u.UnflaggedAt),
        _ => null,
    };
}
