using BalticAI.Sovereignty.Api.Provenance.Exporting;

namespace BalticAI.Sovereignty.Api.Tests.Provenance;

/// <summary>The Markdown summary shows owner-written text as text: it adds no line, heading, link or table cell of its own.</summary>
public sealed class SummaryMarkdownTests
{
    private static readonly Guid Dataset = Guid.Parse("0193c6b4-5a1e-7b7a-9d3e-00000000da7a");

    [Fact]
    public void Owner_written_text_cannot_add_structure_to_the_published_summary()
    {
        var summary = new TrainingContentSummary(
            new SummaryGeneral("pl-cyfronet", "bielik", "1", "sha256:00", true, null, ["text"], 10, 5, ["pl"], DateTimeOffset.UnixEpoch),
            [new SummaryDataset(Dataset, 1, "News | [click](https://evil.example)", "pl-wp", "public", "text", 10, 5, ["pl"], "CC-BY-4.0", null, 0)],
            [],
            [new SummaryCrawl(Dataset, "bot`\n# Fake section", true, true, ["a.example\n## Not a heading"], null)],
            [], [], [],
            [new SummaryOptOut(Dataset, true, "LicenseRef-X", "![img](https://evil.example/x.png)")],
            [new SummaryIllegalContent(Dataset, 1, ["hash matching\n### Injected", "<script>"]), new SummaryIllegalContent(Dataset, 2, [])],
            [new SummaryProcessing(Dataset, ["dedup-v2.1\n- injected item"], ["*bold* _em_"])],
            []);

        var lines = SummaryMarkdown.Render(summary).Split('\n');

        lines.Where(l => l.StartsWith('#')).ShouldBe([
            "# Public summary of training content: bielik 1", "## 1. General information", "## 2. List of data sources",
            "### 2.1 Publicly available datasets", "### 2.2 Private non-publicly available datasets obtained from third parties",
            "### 2.3 Data crawled and scraped from online sources", "### 2.4 User data", "### 2.5 Synthetic data", "### 2.6 Other sources of data",
            "## 3. Data processing aspects", "### 3.1 Respect of reservation of rights from text and data mining",
            "### 3.2 Removal of illegal content", "### 3.3 Other information: preparation and preprocessing"]);
        lines.ShouldNotContain(l => l.StartsWith("- injected", StringComparison.Ordinal));
        lines.ShouldContain($"| {Dataset} | 1 | News \\| \\[click\\](https://evil.example) | pl-wp | text | 10 | 5 | pl | CC-BY-4.0 |");
        lines.ShouldContain(l => l.Contains("opt-out check: !\\[img\\](https://evil.example/x.png)", StringComparison.Ordinal));
        lines.ShouldContain($"- {Dataset}: dedup-v2.1 - injected item, \\*bold\\* \\_em\\_");
        lines.ShouldContain($"- {Dataset} v1: hash matching \\#\\#\\# Injected; \\<script\\>");
        lines.ShouldContain($"- {Dataset} v2: no measure declared by its owner");
        lines.ShouldContain(l => l.StartsWith("- Crawler bot\\` \\# Fake section for", StringComparison.Ordinal) && l.EndsWith("excluded domains: a.example \\#\\# Not a heading", StringComparison.Ordinal));
    }
}
