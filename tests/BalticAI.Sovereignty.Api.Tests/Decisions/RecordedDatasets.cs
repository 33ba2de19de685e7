using BalticAI.Sovereignty.Api.Datasets;

namespace BalticAI.Sovereignty.Api.Tests.Decisions;

/// <summary>Recorded dataset state built directly, for tests of the pure functions that read it.</summary>
internal static class RecordedDatasets
{
    /// <summary>The fewest terms a recorded dataset holds: public text, no personal data, <paramref name="use"/> as given.</summary>
    public static DatasetTerms MinimalTerms(UseTerms? use = null) => new()
    {
        Title = "t",
        Controller = "c",
        Contact = "a@b.example",
        Sovereignty = new() { OriginCountry = "PL", Storage = new() { Country = "PL" } },
        Origin = new() { SourceType = SourceType.Public, CollectionMethod = "m" },
        Licensing = new() { Licence = "MIT", CopyrightBasis = CopyrightBasis.Owned },
        PersonalData = new() { ContainsPersonalData = false },
        Content = new() { Modality = Modality.Text },
        Use = use ?? new(),
    };
}
