using BalticAI.Sovereignty.Api.Infrastructure.Resilience;
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
/// away and the notice follows when it is back. Marten saves this subscription's progress only after a page's notices were
/// published, so a restart repeats notices rather than losing them.
/// </summary>
public sealed class ModelFlagNoticePublisher : SubscriptionBase
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);
    private readonly IBus _bus;
    private readonly ILogger<ModelFlagNoticePublisher> _logger;

    public ModelFlagNoticePublisher(IBus bus, ILogger<ModelFlagNoticePublisher> logger)
    {
        _bus = bus;
        _logger = logger;
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

    /// <summary>Never hands a failure to the daemon, whose error policy could skip the page: it waits for RabbitMQ instead.</summary>
    private Task PublishUntilSentAsync(IReadOnlyList<ModelFlagNotice> notices, CancellationToken ct) =>
        new Backoff(TimeSpan.FromMilliseconds(100), MaxBackoff).RetryUntilDoneAsync(
            (_, token) => Task.WhenAll(notices.Select(n => _bus.Publish(n, token))),
            (e, attempt) => _logger.LogWarning("Publishing {Count} model flag notices failed (attempt {Attempt}): {Error}; retrying", notices.Count, attempt, e.Message),
            ct);
}
