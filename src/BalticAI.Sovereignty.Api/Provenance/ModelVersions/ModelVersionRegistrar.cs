using BalticAI.Sovereignty.Api.Datasets;
using BalticAI.Sovereignty.Api.Datasets.ReferenceData;
using BalticAI.Sovereignty.Api.Decisions;
using BalticAI.Sovereignty.Api.Decisions.Grants;
using BalticAI.Sovereignty.Api.Infrastructure.Validation;
using BalticAI.Sovereignty.Api.Provenance.Propagating;
using BalticAI.Sovereignty.Api.Provenance.QueryingLineage;
using BalticAI.Sovereignty.Api.TrainingJobs;
using Marten;

namespace BalticAI.Sovereignty.Api.Provenance.ModelVersions;

/// <summary>
/// A model version to register, with the JSON Pointers to blame in the request that named it: its name, its base model,
/// and what names the job whose operator is not the model's provider.
/// </summary>
public sealed record ModelVersionRequest(
    string ModelId,
    string Version,
    string Digest,
    Guid? RunId,
    IReadOnlyList<RunInput> TrainedOn,
    ModelVersionKey? NamedBase,
    string NamePointer,
    string BasePointer,
    string ProviderPointer);

/// <summary>
/// The events a registration appends (the registration, then a flag per upstream dataset no longer active) and, for a
/// model whose provider is not kept yet, the provider to keep.
/// </summary>
public sealed record PreparedModelVersion(ModelVersionRegistered Registered, IReadOnlyList<ModelVersionFlagged> Flags, ModelProvider? ProviderToKeep = null)
{
    /// <summary>
    /// Starts the version's stream and inserts the provider to keep, once per session: a lineage report may name two new
    /// versions of one new model, and a concurrent first version of it by another writer fails the commit.
    /// </summary>
    public void Stage(IDocumentSession session)
    {
        session.Events.StartStream<ModelVersionView>(Registered.ModelVersionId, [Registered, .. Flags]);
        if (ProviderToKeep is { } provider && !session.PendingChanges.InsertsFor<ModelProvider>().Any(p => p.Id == provider.Id))
        {
            session.Insert(provider);
        }
    }
}

/// <summary>
/// Gathers what a model version's provenance records (grants, their decisions and bundles, the base
/// model's upstream, the datasets' licences) for both the OpenLineage COMPLETE event and the REST route.
/// </summary>
public sealed class ModelVersionRegistrar(DatasetReferenceData reference)
{
    /// <summary>The events to append, errors to answer with, or neither when this very model version is already registered.</summary>
    public async Task<(PreparedModelVersion? Prepared, FieldErrors Errors)> PrepareAsync(
        IQuerySession session, TrainingJob job, string trainingSystemCountry, ModelVersionRequest request, DateTimeOffset now, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var id = LineageNames.ModelVersionId(request.ModelId, request.Version);
        if (await session.LoadAsync<ModelVersionView>(id, ct) is { } existing)
        {
            // The same registration, recorded already (e.g. over REST before COMPLETE): nothing to add.
            if (existing.IsRegisteredAs(job.Id, request.Digest, request.RunId, request.NamedBase, request.TrainedOn.Select(i => (i.DatasetId, i.Version))))
            {
                return (null, errors);
            }
            errors.Add(request.NamePointer, $"{LineageNames.ModelRef(request.ModelId, request.Version)} is already registered with another digest, job, run, base model or training data");
        }
        var (provider, kept) = await ModelProvider.FindAsync(session, request.ModelId, ct);
        if (ModelProvider.Refusal(provider, request.ModelId, job) is { } refusal)
        {
            errors.Add(request.ProviderPointer, refusal);
        }
        var (baseLink, baseView) = await ResolveBaseAsync(session, job, request, errors, ct);
        if (!errors.IsEmpty)
        {
            return (null, errors);
        }
        var grants = (await session.LoadManyAsync<Grant>(ct, request.TrainedOn.SelectMany(i => i.GrantIds).Distinct().ToArray())).ToDictionary(g => g.Id);
        var decisions = new Dictionary<Guid, AccessDecided>();
        foreach (var decisionId in grants.Values.Select(g => g.DecisionId).Distinct())
        {
            var events = await session.Events.FetchStreamAsync(decisionId, token: ct);
            if (events.Select(e => e.Data).OfType<AccessDecided>().FirstOrDefault() is { } decided)
            {
                decisions[decisionId] = decided;
            }
        }
        var datasetIds = request.TrainedOn.Select(i => i.DatasetId).Concat(baseView?.Upstream.Select(u => u.DatasetId) ?? []).Distinct().ToArray();
        var datasets = (await session.LoadManyAsync<DatasetView>(ct, datasetIds)).ToDictionary(d => d.Id, d => d.State);
        var prepared = Build(id, job, trainingSystemCountry, request, baseLink, baseView, grants, decisions, datasets, reference.Licences, now, await DerivedDatasets.SourcesAsync(session, datasets, ct));
        return (kept ? prepared : prepared with { ProviderToKeep = provider ?? new ModelProvider(request.ModelId, job.Operator, id, now) }, errors);
    }

    /// <summary>Pure: the registration and its flags, from the facts gathered.</summary>
    public static PreparedModelVersion Build(
        Guid id, TrainingJob job, string trainingSystemCountry, ModelVersionRequest request, BaseModelLink? baseLink, ModelVersionView? baseView,
        IReadOnlyDictionary<Guid, Grant> grants, IReadOnlyDictionary<Guid, AccessDecided> decisions,
        IReadOnlyDictionary<Guid, Dataset> datasets, IReadOnlyDictionary<string, LicenceTerms> licences, DateTimeOffset now,
        IReadOnlyDictionary<Guid, IReadOnlyList<DerivationSource>>? sources = null)
    {
        var direct = request.TrainedOn.Select(input => new UpstreamDataset(
            input.DatasetId, input.Version, 0, id, job.Id, request.RunId, job.SiteId,
            input.GrantIds.Where(grants.ContainsKey).Select(g => Trace(grants[g], decisions)).ToList(),
            datasets.TryGetValue(input.DatasetId, out var d) ? [.. d.Countries] : []));
        var inherited = (baseView?.Upstream ?? []).Select(u => u with { Depth = u.Depth + 1 });
        var upstream = direct.Concat(inherited).ToList();
        var restrictions = RestrictionInheritance.Inherit(
            request.TrainedOn.Where(i => datasets.ContainsKey(i.DatasetId))
                .Select(i => new RestrictionInheritance.DatasetInput(LineageNames.DatasetRef(i.DatasetId, i.Version), datasets[i.DatasetId].Terms.Licensing))
                .ToList(),
            baseLink is null ? null : new RestrictionInheritance.BaseInput(LineageNames.ModelRef(baseLink.ModelId, baseLink.Version), baseLink.Licence, baseView?.Restrictions),
            job.Model.Licence,
            licences);
        var countries = ProvenanceCountries.Of(job, trainingSystemCountry, upstream.SelectMany(u => u.Countries).Concat(baseView?.Countries ?? []));
        var registered = new ModelVersionRegistered(id, request.ModelId, request.Version, request.Digest, job.Model.Licence, job.Id, request.RunId,
            job.TrainingSystem, job.Operator, job.SiteId, job.SiteCountry, job.GeneralPurposeModel, baseLink, upstream, restrictions, now, countries);
        var flags = upstream
            .Where(u => datasets.ContainsKey(u.DatasetId))
            .SelectMany(u => VersionLineage.Of(datasets[u.DatasetId], u.Version, sources?.GetValueOrDefault(u.DatasetId) ?? [])
                .Select(a => (DatasetId: a.DatasetId, Reason: FlagReasons.Of(a), Depth: u.Depth + a.Distance, Source: a.State))
                .Prepend((DatasetId: u.DatasetId, Reason: FlagReasons.Of(datasets[u.DatasetId], u.Version), Depth: u.Depth, Source: datasets[u.DatasetId])))
            .Where(f => f.Reason is not null)
            .GroupBy(f => f.DatasetId)
            .Select(g => g.OrderBy(f => f.Depth).First())
            // A flag also concerns the countries of the dataset it names, which may be a source further up than the model's own inputs.
            .Select(f => new ModelVersionFlagged(id, request.ModelId, request.Version, f.DatasetId, f.Reason!, null, f.Depth, now,
                [.. countries.Union(f.Source.Countries).Order(StringComparer.Ordinal)]))
            .ToList();
        return new PreparedModelVersion(registered, flags);
    }

    private static GrantTrace Trace(Grant grant, IReadOnlyDictionary<Guid, AccessDecided> decisions) =>
        decisions.TryGetValue(grant.DecisionId, out var decided)
            ? new GrantTrace(grant.Id, grant.DecisionId, decided.BundleRevision, decided.BundleDigest, decided.DecidedAt)
            : new GrantTrace(grant.Id, grant.DecisionId, "", "", default);

    /// <summary>The base named in the request must be registered; the job's own base model is linked when the broker knows it.</summary>
    private static async Task<(BaseModelLink? Link, ModelVersionView? View)> ResolveBaseAsync(
        IQuerySession session, TrainingJob job, ModelVersionRequest request, FieldErrors errors, CancellationToken ct)
    {
        if (request.NamedBase is { } named)
        {
            var view = await session.LoadAsync<ModelVersionView>(LineageNames.ModelVersionId(named.ModelId, named.Version), ct);
            if (view is null)
            {
                errors.Add(request.BasePointer, $"{LineageNames.ModelRef(named.ModelId, named.Version)} is not registered");
                return (null, null);
            }
            return (new BaseModelLink(view.ModelId, view.Version, view.Id, view.Licence), view);
        }
        if (job.BaseModel is not { } declared)
        {
            return (null, null);
        }
        var known = declared.Version is null ? null : await session.LoadAsync<ModelVersionView>(LineageNames.ModelVersionId(declared.Name, declared.Version), ct);
        return known is null
            ? (new BaseModelLink(declared.Name, declared.Version ?? "", null, declared.Licence), null)
            : (new BaseModelLink(known.ModelId, known.Version, known.Id, known.Licence ?? declared.Licence), known);
    }
}
