using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Datasets;
using BalticAI.Sovereignty.Api.Datasets.Demo;
using BalticAI.Sovereignty.Api.Datasets.ReferenceData;
using BalticAI.Sovereignty.Api.Datasets.RegisteringDataset;
using BalticAI.Sovereignty.Api.Decisions;
using BalticAI.Sovereignty.Api.Decisions.Grants;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Sites;
using BalticAI.Sovereignty.Api.TrainingJobs;

namespace BalticAI.Sovereignty.Cli.Seeding;

/// <summary>An event and the organisation that acted.</summary>
public sealed record SeedEvent(object Data, Actor Actor);

/// <summary>Events to record for one stream: started here (<see cref="Start"/>) or appended to an earlier one.</summary>
public sealed record SeedStream(Guid Id, bool Start, IReadOnlyList<SeedEvent> Events)
{
    public static SeedStream Of(Guid id, bool start, Actor actor, params object[] events) => new(id, start, events.Select(e => new SeedEvent(e, actor)).ToList());
}

/// <summary>
/// Generates a deterministic (seeded) history with the broker's own event types: compute sites, datasets
/// (registration and first version, from the demo datasets' terms), training jobs, then a long run of
/// access decisions, each allowed one with its grant and redemptions, with now and then a new dataset
/// version, a terms amendment or a grant revocation, as a GigaFactory would record them; jobs train on
/// what their grants released and register the model versions they produce (<see cref="SeedLineage"/>).
/// </summary>
public sealed class SeedPlan
{
    public const string Application = "balticai-seed";
    private const string BundleRevision = "seed-2026.11";
    private static readonly string BundleDigest = "sha256:" + new string('5', 64);
    private static readonly (string Organisation, string Country)[] Owners =
        [("pl-mc", "PL"), ("pl-speakleash", "PL"), ("pl-wp", "PL"), ("ee-ria", "EE"), ("lt-rc", "LT"), ("lv-nvd", "LV")];
    private static readonly (string Code, string Country)[] SiteCodes =
        [("pl-krakow-cyfronet", "PL"), ("pl-poznan-psnc", "PL"), ("pl-warsaw-nask", "PL"), ("ee-tallinn-ria", "EE"), ("lt-vilnius-rc", "LT"), ("lv-riga-vdc", "LV")];
    private static readonly string[] Models = ["bielik", "pllum", "eurollm-baltic", "estllm", "lt-gpt", "lv-med"];
    private static readonly Actor TrainingSystem = new("pl-cyfronet", "PL", Application, "ps:seed-training-system");
    private static readonly Actor DataPlane = new("pl-cyfronet", "PL", Application, "ps:seed-data-plane");
    private static readonly Actor Broker = new("balticai-broker", "EU", Application, "system");
    private static readonly Actor PolicyAdmin = new("eu-ai-office", "EU", Application, "ps:seed-policy-admin");

    private readonly int _datasetCount;
    private readonly int _jobCount;
    private readonly Random _random;
    private readonly List<(Guid Id, IReadOnlyCollection<string> Countries, DatasetTerms Terms, int Versions, Actor Owner)> _datasets;
    private readonly Dictionary<Guid, Dataset> _datasetStates = [];
    private readonly List<(Guid Id, Guid Site, string SiteCountry)> _jobs;
    private readonly List<(Guid Id, string Country)> _sites = [];
    private readonly SeedLineage _lineage;
    private DateTimeOffset _clock = new(2026, 1, 5, 8, 0, 0, TimeSpan.Zero);

    /// <param name="licences">The licences' terms (policies/data/licences.json), which model versions inherit restrictions from.</param>
    public SeedPlan(int datasets, int jobs, int seed, IReadOnlyDictionary<string, LicenceTerms> licences)
    {
        _datasetCount = datasets;
        _jobCount = jobs;
        _random = new Random(seed);
        _datasets = new(datasets);
        _jobs = new(jobs);
        _lineage = new SeedLineage(_random, Tick, Digest, NewId, _datasetStates, licences);
    }

    /// <summary>A plan with the licence terms shipped beside the binaries.</summary>
    public SeedPlan(int datasets, int jobs, int seed) : this(datasets, jobs, seed, DatasetReferenceData.Load(DatasetReferenceData.DefaultDirectory).Licences)
    {
    }

    private Guid NewId()
    {
        Span<byte> bytes = stackalloc byte[16];
        _random.NextBytes(bytes);
        return new Guid(bytes);
    }

    /// <summary>Business time advances a little with every event, so the history spans months.</summary>
    private DateTimeOffset Tick() => _clock = _clock.AddSeconds(_random.Next(1, 20));

    private string Digest() => "sha256:" + Convert.ToHexStringLower(NewId().ToByteArray()) + Convert.ToHexStringLower(NewId().ToByteArray());

    /// <summary>
    /// How many streams come first and are later appended to (sites, datasets, jobs); the activity after
    /// them only starts streams of its own or appends to these, so it may be written concurrently.
    /// </summary>
    public int FoundationStreams => SiteCodes.Length + _datasetCount + _jobCount;

    /// <summary>Streams whose events total <paramref name="events"/> (the last stream may be cut short).</summary>
    public IEnumerable<SeedStream> Streams(long events)
    {
        long produced = 0;
        IEnumerable<SeedStream> All()
        {
            foreach (var stream in Sites()) yield return stream;
            for (var d = 0; d < _datasetCount; d++) yield return Dataset(d);
            for (var j = 0; j < _jobCount; j++) yield return Job(j);
            while (true)
            {
                foreach (var stream in Activity()) yield return stream;
            }
        }
        foreach (var stream in All())
        {
            var take = (int)Math.Min(stream.Events.Count, events - produced);
            yield return take == stream.Events.Count ? stream : stream with { Events = stream.Events.Take(take).ToList() };
            produced += take;
            if (produced >= events)
            {
                yield break;
            }
        }
    }

    private IEnumerable<SeedStream> Sites()
    {
        foreach (var (code, country) in SiteCodes)
        {
            var id = NewId();
            _sites.Add((id, country));
            yield return SeedStream.Of(id, true, PolicyAdmin, new ComputeSiteRegistered(id, code, $"Site {code}", country, "pl-cyfronet",
                ["secure-processing-environment"], [], null, Tick()));
        }
    }

    private SeedStream Dataset(int index)
    {
        var template = DemoDatasets.All[index % DemoDatasets.All.Count];
        var (organisation, country) = Owners[index % Owners.Length];
        var owner = new Actor(organisation, country, Application, $"ps:seed-owner-{index % 97}");
        var terms = template.Terms with
        {
            Title = $"{template.Terms.Title} #{index:D5}",
            Sovereignty = template.Terms.Sovereignty with { OriginCountry = country, Storage = new StorageLocation { Country = country } },
        };
        var registered = RegisterDataset.Decide(NewId(), owner, terms, Tick());
        var version = new DatasetVersionPublished(registered.DatasetId, 1, Digest(), _random.NextInt64(1 << 20, 1L << 40),
            _random.NextInt64(1_000_000, 100_000_000_000), [country.ToLowerInvariant(), "en"], null, Tick(), registered.Countries);
        _datasets.Add((registered.DatasetId, registered.Countries, terms, 1, owner));
        _datasetStates[registered.DatasetId] = Api.Datasets.Dataset.Create(registered).Apply(version);
        return SeedStream.Of(registered.DatasetId, true, owner, registered, version);
    }

    private SeedStream Job(int index)
    {
        var site = _sites[_random.Next(_sites.Count)];
        var commercial = _random.Next(3) == 0;
        var model = Models[_random.Next(Models.Length)];
        var start = DateOnly.FromDateTime(_clock.UtcDateTime);
        var registered = new TrainingJobRegistered(NewId(), "pl-cyfronet", "pl-cyfronet", "PL",
            commercial ? JobPurpose.Commercial : JobPurpose.Research, commercial, _random.Next(10) == 0, false, site.Id, site.Country,
            new ModelReference(model, $"{index % 7}.{index % 13}", commercial ? "LicenseRef-commercial" : "Apache-2.0"),
            _random.Next(3) == 0 ? new ModelReference(Models[_random.Next(Models.Length)], "1.0", "Apache-2.0") : null,
            null, start, start.AddMonths(6), Tick());
        _jobs.Add((registered.JobId, site.Id, site.Country));
        _lineage.AddJob(TrainingJob.Create(registered), index);
        return SeedStream.Of(registered.JobId, true, TrainingSystem, registered);
    }

    /// <summary>One step of day-to-day activity; mostly decisions, now and then an owner's change.</summary>
    private IEnumerable<SeedStream> Activity()
    {
        var roll = _random.Next(100);
        if (roll == 0)
        {
            var d = _random.Next(_datasets.Count);
            var dataset = _datasets[d];
            _datasets[d] = dataset with { Versions = dataset.Versions + 1 };
            var published = new DatasetVersionPublished(dataset.Id, dataset.Versions + 1, Digest(),
                _random.NextInt64(1 << 20, 1L << 40), null, ["en"], null, Tick(), dataset.Countries);
            _datasetStates[dataset.Id] = _datasetStates[dataset.Id].Apply(published);
            yield return SeedStream.Of(dataset.Id, false, dataset.Owner, published);
            yield break;
        }
        if (roll == 1)
        {
            var dataset = _datasets[_random.Next(_datasets.Count)];
            var amended = new DatasetTermsAmended(dataset.Id, dataset.Terms, ["use"], Tick(), dataset.Countries);
            _datasetStates[dataset.Id] = _datasetStates[dataset.Id].Apply(amended);
            yield return SeedStream.Of(dataset.Id, false, dataset.Owner, amended);
            yield break;
        }
        foreach (var stream in Decision())
        {
            yield return stream;
        }
    }

    private IEnumerable<SeedStream> Decision()
    {
        var job = _jobs[_random.Next(_jobs.Count)];
        var target = _datasets[_random.Next(_datasets.Count)];
        var version = 1 + _random.Next(target.Versions);
        var countries = target.Countries.Append(job.SiteCountry).Append("PL").Distinct().ToList();
        var allowed = _random.Next(5) != 0;
        var decisionId = NewId();
        var grantId = allowed ? NewId() : (Guid?)null;
        var input = new JsonObject
        {
            ["job"] = new JsonObject { ["id"] = job.Id.ToString(), ["siteCountry"] = job.SiteCountry },
            ["dataset"] = new JsonObject { ["id"] = target.Id.ToString(), ["version"] = version, ["countries"] = new JsonArray(target.Countries.Select(c => (JsonNode)c).ToArray()) },
        };
        IReadOnlyList<DecisionReason> reasons = allowed ? [] : [new DecisionReason("purpose-limitation", "The job's purpose is not among the dataset's permitted purposes.", "terms.use.permittedPurposes")];
        var decided = new AccessDecided(decisionId, job.Id, target.Id, version, "pl-cyfronet", job.Site, allowed, reasons, [], BundleRevision, BundleDigest,
            Digest(), input, grantId, Tick(), countries);
        yield return SeedStream.Of(decisionId, true, TrainingSystem, decided);
        if (grantId is not { } grant)
        {
            yield break;
        }
        var issued = new GrantIssued(grant, decisionId, job.Id, target.Id, version, job.Site, "pl-cyfronet", _clock.AddHours(24), [], Digest(), countries, BundleDigest: BundleDigest);
        var state = GrantProjection.Create(issued);
        var grantEvents = new List<SeedEvent> { new(issued, TrainingSystem) };
        for (var r = _random.Next(0, 4); r > 0; r--)
        {
            var redeemed = new GrantRedeemed(grant, _random.NextInt64(1 << 20, 1L << 34), Digest(), Tick(), countries);
            state = GrantProjection.Apply(redeemed, state);
            grantEvents.Add(new(redeemed, DataPlane));
        }
        if (_random.Next(50) == 0)
        {
            var revoked = new GrantRevoked(grant, target.Id, job.Id, "dataset-restricted", Tick(), countries);
            state = GrantProjection.Apply(revoked, state);
            grantEvents.Add(new(revoked, Broker));
        }
        // A grant's redemptions and revocation follow its issue at once: one stream start, no later append to race with.
        yield return new SeedStream(grant, true, grantEvents);
        foreach (var stream in _lineage.GrantRecorded(state, decided))
        {
            yield return stream;
        }
    }
}
