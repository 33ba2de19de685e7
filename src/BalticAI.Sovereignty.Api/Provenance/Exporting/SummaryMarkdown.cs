using System.Globalization;
using System.Text;

namespace BalticAI.Sovereignty.Api.Provenance.Exporting;

/// <summary>Pure: the training-content summary as Markdown for people, in the template's section order.</summary>
public static class SummaryMarkdown
{
    public static string Render(TrainingContentSummary summary)
    {
        var g = summary.General;
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# Public summary of training content: {g.ModelId} {g.Version}");
        md.AppendLine();
        md.AppendLine("AI Act Art. 53(1)(d); filled from the BalticAI sovereignty broker's ledger.");
        md.AppendLine();
        md.AppendLine("## 1. General information");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"- Provider: {g.Provider}");
        md.AppendLine(CultureInfo.InvariantCulture, $"- Model: {g.ModelId} {g.Version} ({g.Digest})");
        md.AppendLine(CultureInfo.InvariantCulture, $"- General-purpose model: {(g.GeneralPurposeModel ? "yes" : "no")}");
        md.AppendLine(CultureInfo.InvariantCulture, $"- Base model: {(g.BaseModel is { } b ? $"{b.ModelId} {b.Version}" : "none")}");
        md.AppendLine(CultureInfo.InvariantCulture, $"- Modalities: {Join(g.Modalities)}");
        md.AppendLine(CultureInfo.InvariantCulture, $"- Training data size: {g.TotalBytes.ToString("N0", CultureInfo.InvariantCulture)} bytes, {g.TotalTokens.ToString("N0", CultureInfo.InvariantCulture)} tokens");
        md.AppendLine(CultureInfo.InvariantCulture, $"- Languages: {Join(g.Languages)}");
        md.AppendLine();
        md.AppendLine("## 2. List of data sources");
        Datasets(md, "2.1 Publicly available datasets", summary.PublicDatasets);
        Datasets(md, "2.2 Private non-publicly available datasets obtained from third parties", summary.PrivateDatasets);
        Datasets(md, "2.3 Data crawled and scraped from online sources", summary.CrawledDatasets);
        foreach (var crawl in summary.Crawlers)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"- Crawler {Inline(crawl.UserAgent)} for {crawl.DatasetId}: robots.txt {(crawl.HonoursRobotsTxt ? "honoured" : "not honoured")}, TDM reservation protocol {(crawl.HonoursTdmReservationProtocol ? "honoured" : "not honoured")}, excluded domains: {Join(crawl.ExcludedDomains.Select(Inline).ToList())}");
        }
        Datasets(md, "2.4 User data", summary.UserData);
        Datasets(md, "2.5 Synthetic data", summary.SyntheticData);
        md.AppendLine();
        md.AppendLine("### 2.6 Other sources of data");
        md.AppendLine();
        // Every dataset the broker records has a source type of 2.1-2.5, and a report cannot name data it does not record.
        md.AppendLine("None: every dataset upstream is registered with the broker and listed under 2.1-2.5.");
        md.AppendLine();
        md.AppendLine("## 3. Data processing aspects");
        md.AppendLine();
        md.AppendLine("### 3.1 Respect of reservation of rights from text and data mining");
        md.AppendLine();
        foreach (var optOut in summary.TdmOptOuts)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"- {optOut.DatasetId}: {(optOut.TdmReserved ? "reserved by the rights holder" : "not reserved")}; publisher licence: {(optOut.PublisherLicence is { } licence ? Inline(licence) : "none")}; opt-out check: {(optOut.TdmOptOutCheck is { } check ? Inline(check) : "none recorded")}");
        }
        md.AppendLine();
        md.AppendLine("### 3.2 Removal of illegal content");
        md.AppendLine();
        foreach (var removal in summary.IllegalContentRemoval)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"- {removal.DatasetId} v{removal.Version}: {(removal.Measures.Count == 0 ? "no measure declared by its owner" : string.Join("; ", removal.Measures.Select(Inline)))}");
        }
        md.AppendLine();
        md.AppendLine("### 3.3 Other information: preparation and preprocessing");
        md.AppendLine();
        foreach (var processing in summary.Preparation)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"- {processing.DatasetId}: {Join(processing.PreparationSteps.Concat(processing.Preprocessing).Select(Inline).ToList())}");
        }
        if (summary.NotRecorded.Count > 0)
        {
            md.AppendLine();
            md.AppendLine("## Not recorded by the broker");
            md.AppendLine();
            foreach (var gap in summary.NotRecorded)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"- {gap}");
            }
        }
        return md.ToString();
    }

    private static void Datasets(StringBuilder md, string title, IReadOnlyList<SummaryDataset> rows)
    {
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"### {title}");
        md.AppendLine();
        if (rows.Count == 0)
        {
            md.AppendLine("None recorded.");
            return;
        }
        md.AppendLine("| dataset | version | title | owner | modality | bytes | tokens | languages | licence |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var r in rows)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| {r.DatasetId} | {r.Version} | {Inline(r.Title)} | {r.Owner} | {r.Modality} | {r.SizeBytes} | {r.Tokens?.ToString(CultureInfo.InvariantCulture) ?? ""} | {Join(r.Languages)} | {r.Licence} |");
        }
    }

    private static string Join(IReadOnlyList<string> items) => items.Count == 0 ? "none recorded" : string.Join(", ", items);

    /// <summary>
    /// Owner-written text, shown as text: it must not break a table row or a list item, nor add headings, links,
    /// images or emphasis to a summary the provider publishes. Line breaks become spaces; every character
    /// Markdown could read as structure is escaped.
    /// </summary>
    private static string Inline(string text)
    {
        var escaped = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            if (c is '\r' or '\n')
            {
                escaped.Append(' ');
                continue;
            }
            if (MarkdownPunctuation.Contains(c))
            {
                escaped.Append('\\');
            }
            escaped.Append(c);
        }
        return escaped.ToString();
    }

    // Not `-`, `+` or `.`: they make structure only at the start of a line, and owner text never starts one.
    private const string MarkdownPunctuation = "\\`*_[]<>#|~";
}
