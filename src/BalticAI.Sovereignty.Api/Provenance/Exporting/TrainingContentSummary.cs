using BalticAI.Sovereignty.Api.Datasets;
using BalticAI.Sovereignty.Api.Provenance.ModelVersions;

namespace BalticAI.Sovereignty.Api.Provenance.Exporting;

public sealed record SummaryGeneral(
    string Provider, string ModelId, string Version, string Digest, bool GeneralPurposeModel, BaseModelLink? BaseModel,
    IReadOnlyList<string> Modalities, long TotalBytes, long TotalTokens, IReadOnlyList<string> Languages, DateTimeOffset RegisteredAt);

public sealed record SummaryDataset(
    Guid DatasetId, int Version, string Title, string Owner, string SourceType, string Modality, long SizeBytes, long? Tokens,
    IReadOnlyList<string> Languages, string Licence, CollectionPeriod? CollectionPeriod, int Depth);

public sealed record SummaryCrawl(Guid DatasetId, string UserAgent, bool HonoursRobotsTxt, bool HonoursTdmReservationProtocol, IReadOnlyList<string> ExcludedDomains, CollectionPeriod? CollectionPeriod);

public sealed record SummaryOptOut(Guid DatasetId, bool TdmReserved, string? PublisherLicence, string? TdmOptOutCheck);

public sealed record SummaryIllegalContent(Guid DatasetId, int Version, IReadOnlyList<string> Measures);

public sealed record SummaryProcessing(Guid DatasetId, IReadOnlyList<string> PreparationSteps, IReadOnlyList<string> Preprocessing);

/// <summary>
/// The public summary of training content of a general-purpose model (AI Act Art. 53(1)(d), the
/// Commission's template of July 2025), section by section, filled only from what the ledger recorded
/// about the dataset versions upstream of the model version (through its base models).
/// </summary>
public sealed record TrainingContentSummary(
    SummaryGeneral General,
    IReadOnlyList<SummaryDataset> PublicDatasets,
    IReadOnlyList<SummaryDataset> PrivateDatasets,
    IReadOnlyList<SummaryCrawl> Crawlers,
    IReadOnlyList<SummaryDataset> CrawledDatasets,
    IReadOnlyList<SummaryDataset> UserData,
    IReadOnlyList<SummaryDataset> SyntheticData,
    IReadOnlyList<SummaryOptOut> TdmOptOuts,
    IReadOnlyList<SummaryIllegalContent> IllegalContentRemoval,
    IReadOnlyList<SummaryProcessing> Preparation,
    IReadOnlyList<string> NotRecorded)
{
    /// <summary>Pure: the summary from the model version and the datasets upstream of it.</summary>
    public static TrainingContentSummary Of(ModelVersionView model, IReadOnlyDictionary<Guid, Dataset> datasets)
    {
        var used = model.Upstream
            .GroupBy(u => (u.DatasetId, u.Version)).Select(g => g.MinBy(u => u.Depth)!)
            .Where(u => datasets.ContainsKey(u.DatasetId))
            .Select(u => (Upstream: u, Dataset: datasets[u.DatasetId], Published: datasets[u.DatasetId].Versions.FirstOrDefault(v => v.Number == u.Version)))
            .OrderBy(x => x.Upstream.Depth).ThenBy(x => x.Upstream.DatasetId)
            .ToList();
        var rows = used.Select(x => new SummaryDataset(x.Upstream.DatasetId, x.Upstream.Version, x.Dataset.Terms.Title, x.Dataset.Owner,
            DatasetView.Token(x.Dataset.Terms.Origin.SourceType), DatasetView.Token(x.Dataset.Terms.Content.Modality), x.Published?.SizeBytes ?? 0,
            x.Published?.Tokens, x.Published?.Languages ?? [], x.Dataset.Terms.Licensing.Licence, x.Dataset.Terms.Origin.CollectionPeriod, x.Upstream.Depth)).ToList();
        List<SummaryDataset> Of(params SourceType[] types) => rows.Where(r => types.Any(t => DatasetView.Token(t) == r.SourceType)).ToList();
        var notRecorded = new List<string>();
        if (model.BaseModel is { ModelVersionId: null } external)
        {
            notRecorded.Add($"the training content of the external base model {external.ModelId} {external.Version}: see its provider's summary");
        }
        if (model.Upstream.Any(u => !datasets.ContainsKey(u.DatasetId)))
        {
            notRecorded.Add("datasets upstream that are no longer recorded");
        }
        var undeclared = used.Where(x => x.Dataset.Terms.Content.IllegalContentRemoval.Count == 0).Select(x => $"{x.Upstream.DatasetId} v{x.Upstream.Version}").ToList();
        if (undeclared.Count > 0)
        {
            notRecorded.Add($"measures to remove illegal content from {undeclared.Count} of {used.Count} dataset versions, whose owners declared none: {string.Join(", ", undeclared)}");
        }
        var general = new SummaryGeneral(model.Operator, model.ModelId, model.Version, model.Digest, model.GeneralPurposeModel, model.BaseModel,
            rows.Select(r => r.Modality).Distinct().Order().ToList(), rows.Sum(r => r.SizeBytes), rows.Sum(r => r.Tokens ?? 0),
            rows.SelectMany(r => r.Languages).Distinct().Order().ToList(), model.RegisteredAt);
        return new TrainingContentSummary(
            general,
            Of(SourceType.Public),
            Of(SourceType.Licensed, SourceType.Private),
            used.Where(x => x.Dataset.Terms.Origin.Crawler is not null)
                .Select(x => (x.Upstream.DatasetId, Crawler: x.Dataset.Terms.Origin.Crawler!, x.Dataset.Terms.Origin.CollectionPeriod))
                .Select(x => new SummaryCrawl(x.DatasetId, x.Crawler.UserAgent, x.Crawler.HonoursRobotsTxt, x.Crawler.HonoursTdmReservationProtocol,
                    x.Crawler.ExcludedDomains, x.CollectionPeriod))
                .ToList(),
            Of(SourceType.Crawled),
            Of(SourceType.User),
            Of(SourceType.Synthetic),
            used.Select(x => new SummaryOptOut(x.Upstream.DatasetId, x.Dataset.Terms.Origin.TdmReserved,
                x.Dataset.Terms.Evidence.PublisherLicence?.Reference, x.Dataset.Terms.Evidence.TdmOptOutCheck?.Reference)).ToList(),
            used.Select(x => new SummaryIllegalContent(x.Upstream.DatasetId, x.Upstream.Version, x.Dataset.Terms.Content.IllegalContentRemoval)).ToList(),
            used.Select(x => new SummaryProcessing(x.Upstream.DatasetId, x.Dataset.Terms.Origin.PreparationSteps, x.Dataset.Terms.Content.Preprocessing)).ToList(),
            notRecorded);
    }
}
