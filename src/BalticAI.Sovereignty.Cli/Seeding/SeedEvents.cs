namespace BalticAI.Sovereignty.Cli.Seeding;

// Stand-ins for the Datasets, TrainingJobs and Decisions slices' events, which other engineers are
// writing: the ledger covers any event type, so these give it realistic volume and shape until the
// real types exist. The "Seed" prefix keeps them apart from real events in mt_events.type.

public sealed record SeedDatasetRegistered(Guid DatasetId, string Title, string OwnerOrganisation, string Country, string Licence, string SourceType, bool ContainsPersonalData, bool ResearchOnly, long SizeBytes, string[] Languages);

public sealed record SeedDatasetVersionAdded(Guid DatasetId, int Version, string ContentDigest, long SizeTokens);

public sealed record SeedTrainingJobSubmitted(Guid JobId, string Organisation, string Country, string ComputeSite, string Purpose, bool Commercial);

public sealed record SeedAccessDecided(Guid DecisionId, Guid JobId, Guid[] DatasetIds, string Outcome, string PolicyVersion, string[] Reasons, string[] Obligations);

public sealed record SeedConsumptionReported(Guid JobId, Guid DatasetId, int DatasetVersion, long BytesRead);

public sealed record SeedModelProduced(Guid JobId, Guid ModelId, string ModelName, string Licence, Guid[] TrainedOn, bool NonCommercial);
