namespace BalticAI.Sovereignty.Cli.Seeding;

/// <summary>
/// Generates a deterministic (seeded) history: datasets with versions, training jobs, then a long run of
/// access decisions, consumption reports and produced models, as a GigaFactory would record them.
/// </summary>
public sealed class SeedPlan(int datasets, int jobs, int seed)
{
    private static readonly string[] Countries = ["PL", "EE", "LT", "LV"];
    private static readonly string[] Licences = ["CC-BY-4.0", "CC-BY-NC-4.0", "Apache-2.0", "LicenseRef-publisher", "CC0-1.0"];
    private static readonly string[] Sources = ["public", "licensed", "private", "crawled", "synthetic"];
    private static readonly string[] Sites = ["pl-krakow-1", "pl-poznan-1"];
    private static readonly string[] Purposes = ["pllum-pretraining", "bielik-finetune", "health-research", "public-sector-assistant"];
    private static readonly string[] Outcomes = ["allow", "allow", "allow", "deny", "allow-with-obligations"];
    private readonly Random _random = new(seed);
    private readonly Guid[] _datasets = new Guid[datasets];
    private readonly Guid[] _jobs = new Guid[jobs];

    private Guid NewId()
    {
        Span<byte> bytes = stackalloc byte[16];
        _random.NextBytes(bytes);
        return new Guid(bytes);
    }

    /// <summary>(stream, events) batches totalling <paramref name="events"/> events.</summary>
    public IEnumerable<(Guid Stream, object Event)> Events(long events)
    {
        long produced = 0;
        for (var d = 0; d < _datasets.Length && produced < events; d++)
        {
            _datasets[d] = NewId();
            var country = Countries[d % Countries.Length];
            yield return (_datasets[d], new SeedDatasetRegistered(_datasets[d], $"corpus-{country.ToLowerInvariant()}-{d:D5}", $"{country.ToLowerInvariant()}-org-{d % 97}",
                country, Licences[_random.Next(Licences.Length)], Sources[_random.Next(Sources.Length)], _random.Next(4) == 0, _random.Next(5) == 0,
                _random.NextInt64(1 << 20, 1L << 40), [country.ToLowerInvariant(), "en"]));
            produced++;
            if (produced < events)
            {
                yield return (_datasets[d], new SeedDatasetVersionAdded(_datasets[d], 1, "sha256:" + Convert.ToHexStringLower(NewId().ToByteArray()), _random.NextInt64(1_000_000, 10_000_000_000)));
                produced++;
            }
        }
        for (var j = 0; j < _jobs.Length && produced < events; j++, produced++)
        {
            _jobs[j] = NewId();
            yield return (_jobs[j], new SeedTrainingJobSubmitted(_jobs[j], $"org-{j % 41}", Countries[j % Countries.Length], Sites[j % Sites.Length],
                Purposes[_random.Next(Purposes.Length)], _random.Next(2) == 0));
        }
        for (; produced < events; produced++)
        {
            var job = _jobs[_random.Next(_jobs.Length)];
            var dataset = _datasets[_random.Next(_datasets.Length)];
            yield return (job, (produced % 10) switch
            {
                < 6 => new SeedAccessDecided(NewId(), job, [dataset, _datasets[_random.Next(_datasets.Length)]], Outcomes[_random.Next(Outcomes.Length)],
                    "policies@2026.11.3", ["documented-origin", "purpose-compatible"], ["report-consumption"]),
                < 9 => new SeedConsumptionReported(job, dataset, 1, _random.NextInt64(1 << 20, 1L << 36)),
                _ => new SeedModelProduced(job, NewId(), $"model-{produced}", Licences[_random.Next(Licences.Length)], [dataset], _random.Next(3) == 0),
            });
        }
    }
}
