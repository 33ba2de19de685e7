using BalticAI.Sovereignty.Api.Infrastructure.Concurrency;
using BalticAI.Sovereignty.Api.Datasets;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Infrastructure.Persistence;
using BalticAI.Sovereignty.Api.Ledger;
using BalticAI.Sovereignty.Api.Provenance.ModelVersions;
using BalticAI.Sovereignty.Api.Provenance.QueryingLineage;
using BalticAI.Sovereignty.Api.TrainingJobs;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Subscriptions;

namespace BalticAI.Sovereignty.Api.Provenance.Propagating;

/// <summary>
/// Follows the ledger (rule 11): a withdrawn or restricted dataset flags every model version downstream
/// of it (a withdrawn version, those trained on that version or on versions made from it), through fine-tunes and through datasets derived from it (`lineage.derivedFrom`, transitively),
/// with an event on each model version's stream that reaches the feeds of the countries concerned. The
/// flag names the withdrawn or restricted dataset; its depth counts derivations and fine-tunes alike. Lifting a restriction clears the flags it put, with an event on each model
/// version's stream. Running jobs are told by the grant revoker: every run past START holds a redeemed
/// grant for each input, and those grants are revoked by the same dataset event.
/// </summary>
public sealed class LineageFlagger : SubscriptionBase
{
    private const int Attempts = 3;
    private readonly IServiceProvider _services;
    private readonly TimeProvider _clock;

    /// <summary>The store is resolved when events arrive: it is being built when this is registered with it.</summary>
    public LineageFlagger(IServiceProvider services, TimeProvider clock)
    {
        _services = services;
        _clock = clock;
        Name = "LineageFlagging";
        IncludeType<DatasetWithdrawn>();
        IncludeType<DatasetVersionWithdrawn>();
        IncludeType<DatasetRestricted>();
        IncludeType<DatasetRestrictionLifted>();
        IncludeType<DatasetRegistered>();
        IncludeType<DatasetVersionPublished>();
        IncludeType<DatasetTermsAmended>();
    }

    public override async Task<IChangeListener> ProcessEventsAsync(EventRange page, ISubscriptionController controller, IDocumentOperations operations, CancellationToken cancellationToken)
    {
        foreach (var @event in page.Events)
        {
            if (@event.Data is DatasetRegistered or DatasetVersionPublished or DatasetTermsAmended)
            {
                await FlagLinkedAsync(@event, cancellationToken);
            }
            else
            {
                await FlagAsync(@event, cancellationToken);
            }
        }
        return NullChangeListener.Instance;
    }

    /// <summary>
    /// Pure: the flags a dataset event puts on the model versions downstream, skipping those already flagged for it.
    /// <paramref name="datasets"/>: the dataset's and its derived datasets' states, which say which derived versions a
    /// withdrawn version reaches (none without them).
    /// </summary>
    public static IReadOnlyList<ModelVersionFlagged> Flags(
        IEvent datasetEvent, IEnumerable<LineageEdge> edges, IReadOnlyDictionary<Guid, ModelVersionView> models, IReadOnlyDictionary<Guid, TrainingJob> jobs,
        TenantMap tenants, DateTimeOffset now, IReadOnlyDictionary<Guid, Dataset>? datasets = null)
    {
        if (FlagReasons.Of(datasetEvent.Data) is not { } reason)
        {
            return [];
        }
        var datasetId = datasetEvent.StreamId;
        return edges
            .Where(e => e.Kind == LineageEdge.ModelVersionKind && e.ModelVersionId is not null)
            // A withdrawn version flags what was trained on it and on versions made from it, not on the dataset's other
            // versions nor on derived versions made from those.
            .Where(e => datasetEvent.Data is not DatasetVersionWithdrawn v || MadeFrom(e, datasetId, v.Number, datasets))
            .GroupBy(e => e.ModelVersionId!.Value)
            .Where(g => models.TryGetValue(g.Key, out var m) && !m.IsFlaggedFor(datasetId, reason))
            .Select(g => (Model: models[g.Key], Depth: g.Min(e => e.Depth)))
            .Select(f => new ModelVersionFlagged(f.Model.Id, f.Model.ModelId, f.Model.Version, datasetId, reason, datasetEvent.Id, f.Depth, now, Concerned(f.Model, datasetEvent, jobs, tenants)))
            .ToList();
    }

    private static bool MadeFrom(LineageEdge edge, Guid datasetId, int version, IReadOnlyDictionary<Guid, Dataset>? datasets) =>
        edge.DatasetId == datasetId
            ? edge.DatasetVersion == version
            : datasets is not null && VersionLineage.DerivesFrom(edge.DatasetId, edge.DatasetVersion, datasetId, version, datasets);

    /// <summary>Pure: the restriction flags a lifting clears on the model versions downstream; none where they are cleared already.</summary>
    public static IReadOnlyList<ModelVersionUnflagged> Unflags(
        IEvent liftingEvent, IReadOnlyDictionary<Guid, ModelVersionView> models, IReadOnlyDictionary<Guid, TrainingJob> jobs, TenantMap tenants, DateTimeOffset now)
    {
        var datasetId = liftingEvent.StreamId;
        return models.Values
            .Select(m => (Model: m, Reasons: m.Flags.Where(f => f.DatasetId == datasetId && FlagReasons.IsRestriction(f.Reason)).Select(f => f.Reason).Distinct().ToList()))
            .Where(u => u.Reasons.Count > 0)
            .OrderBy(u => u.Model.Id)
            .Select(u => new ModelVersionUnflagged(u.Model.Id, u.Model.ModelId, u.Model.Version, datasetId, u.Reasons, liftingEvent.Id, now, Concerned(u.Model, liftingEvent, jobs, tenants)))
            .ToList();
    }

    /// <summary>
    /// The model version's countries (<see cref="ProvenanceCountries"/>) and the dataset's: a model trained on a copy
    /// derived from the dataset does not list the dataset's countries, yet its data originate there. The training
    /// system's countries too: a model version registered before they were listed reached their feeds as the acting
    /// organisation's (FeedMembership), and its flags must reach the same feeds though the broker flags it. And the
    /// job's model recipient's: model versions recorded before it was listed leave it out, yet the weights went there.
    /// </summary>
    private static IReadOnlyList<string> Concerned(ModelVersionView model, IEvent datasetEvent, IReadOnlyDictionary<Guid, TrainingJob> jobs, TenantMap tenants) =>
        model.Countries.Union((datasetEvent.Data as ILedgerEvent)?.Countries ?? []).Union(tenants.CountriesOf(model.TrainingSystem))
            .Union(jobs.GetValueOrDefault(model.JobId)?.Recipient is { } recipient ? [recipient.Country] : [])
            .Order(StringComparer.Ordinal).ToList();

    /// <summary>
    /// The model-version and run edges of the dataset and of every dataset derived from it, each edge's
    /// depth increased by its dataset's derivation depth (a model trained on a cleaned copy is one step away),
    /// with the states of those datasets (the dataset's own only when some are derived from it) and the derived ones' depths.
    /// </summary>
    public static async Task<Downstream> DownstreamEdgesAsync(IQuerySession session, Guid datasetId, CancellationToken ct)
    {
        var derivation = new Dictionary<Guid, int> { [datasetId] = 0 };
        var datasets = new Dictionary<Guid, Dataset>();
        foreach (var (view, _, depth) in await DerivedDatasets.FindAsync(session, datasetId, ct))
        {
            derivation.TryAdd(view.Id, depth);
            datasets.TryAdd(view.Id, view.State);
        }
        if (datasets.Count > 0 && await session.LoadAsync<DatasetView>(datasetId, ct) is { } source)
        {
            datasets[datasetId] = source.State;
        }
        var ids = derivation.Keys.ToArray();
        var edges = await session.Query<LineageEdge>().Where(e => e.DatasetId.IsOneOf(ids)).ToListAsync(ct);
        return new Downstream(
            edges.Select(e => e with { Depth = e.Depth + derivation[e.DatasetId] }).ToList(),
            datasets,
            derivation.Where(d => d.Key != datasetId).ToDictionary());
    }

    /// <summary>
    /// A derived dataset's registration, new version or amended terms that link it to a source already withdrawn or
    /// restricted (or a version to a source version already withdrawn) flag it as the source's event would have
    /// (<see cref="DerivedDatasetFlags.OnLineage"/>); its model versions are flagged as they are registered. Datasets
    /// derived from nothing cost one read.
    /// </summary>
    private async Task FlagLinkedAsync(IEvent datasetEvent, CancellationToken ct)
    {
        var store = _services.GetRequiredService<IDocumentStore>();
        for (var attempt = 1; ; attempt++)
        {
            await using var session = store.LightweightSession();
            var stream = await session.Events.FetchForWriting<Dataset>(datasetEvent.StreamId, ct);
            if (stream.Aggregate is not { Terms.Lineage.DerivedFrom.Count: > 0 } derived)
            {
                return;
            }
            var sources = (await DerivedDatasets.SourcesAsync(session, new Dictionary<Guid, Dataset> { [derived.Id] = derived }, ct))[derived.Id];
            var flags = DerivedDatasetFlags.OnLineage(datasetEvent, derived, sources, _clock.GetUtcNow());
            if (flags.Count == 0)
            {
                return;
            }
            session.RecordActor(datasetEvent.ReadActor() ?? Policies.PolicySetup.BrokerActor);
            stream.AppendMany(flags.Cast<object>().ToArray());
            try
            {
                await session.CommitAsync(ct);
                return;
            }
            catch (Exception e) when (attempt < Attempts && ConcurrentWrites.Are(e))
            {
                // The dataset changed meanwhile (its owner wrote, another node flagged it): read again.
            }
        }
    }

    /// <summary>
    /// Each model version and derived dataset is re-read for writing, so a concurrent flagger (another node) or owner makes
    /// this one re-read and skip what is flagged already.
    /// </summary>
    private async Task FlagAsync(IEvent datasetEvent, CancellationToken ct)
    {
        var store = _services.GetRequiredService<IDocumentStore>();
        for (var attempt = 1; ; attempt++)
        {
            await using var session = store.LightweightSession();
            var (edges, datasets, depths) = await DownstreamEdgesAsync(session, datasetEvent.StreamId, ct);
            var streams = new Dictionary<Guid, IEventStream<ModelVersionView>>();
            foreach (var id in edges.Where(e => e.ModelVersionId is not null).Select(e => e.ModelVersionId!.Value).Distinct())
            {
                streams[id] = await session.Events.FetchForWriting<ModelVersionView>(id, ct);
            }
            var models = streams.Where(s => s.Value.Aggregate is not null).ToDictionary(s => s.Key, s => s.Value.Aggregate!);
            var jobs = (await session.LoadManyAsync<TrainingJob>(ct, models.Values.Select(m => m.JobId).Distinct())).ToDictionary(j => j.Id);
            var now = _clock.GetUtcNow();
            var tenants = _services.GetRequiredService<TenantMap>();
            var changes = datasetEvent.Data is DatasetRestrictionLifted
                ? Unflags(datasetEvent, models, jobs, tenants, now).Select(u => (u.ModelVersionId, Event: (object)u)).ToList()
                : Flags(datasetEvent, edges, models, jobs, tenants, now, datasets).Select(f => (f.ModelVersionId, Event: (object)f)).ToList();
            var derived = new Dictionary<Guid, IEventStream<Dataset>>();
            foreach (var id in depths.Keys)
            {
                derived[id] = await session.Events.FetchForWriting<Dataset>(id, ct);
            }
            var fresh = derived.Where(d => d.Value.Aggregate is not null).ToDictionary(d => d.Key, d => d.Value.Aggregate!);
            var datasetChanges = DerivedDatasetFlags.Of(datasetEvent, fresh, depths, datasets.GetValueOrDefault(datasetEvent.StreamId), now);
            if (changes.Count == 0 && datasetChanges.Count == 0)
            {
                return;
            }
            session.RecordActor(datasetEvent.ReadActor() ?? Policies.PolicySetup.BrokerActor);
            foreach (var (modelVersionId, change) in changes)
            {
                streams[modelVersionId].AppendOne(change);
            }
            foreach (var (datasetId, change) in datasetChanges)
            {
                derived[datasetId].AppendOne(change);
            }
            try
            {
                await session.CommitAsync(ct);
                return;
            }
            catch (Exception e) when (attempt < Attempts && ConcurrentWrites.Are(e))
            {
                // A model version or derived dataset changed meanwhile (flagged by another node, written by its owner): read
                // again and flag what is left.
            }
        }
    }
}

/// <summary>What a dataset event reaches downstream: the edges, the datasets' states and each derived dataset's derivation depth.</summary>
public sealed record Downstream(IReadOnlyList<LineageEdge> Edges, IReadOnlyDictionary<Guid, Dataset> Datasets, IReadOnlyDictionary<Guid, int> Depths);
