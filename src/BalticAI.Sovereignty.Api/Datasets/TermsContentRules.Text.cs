using System.Globalization;
using BalticAI.Sovereignty.Api.Infrastructure.Validation;

namespace BalticAI.Sovereignty.Api.Datasets;

public static partial class TermsContentRules
{
    private const string Blank = "is blank (only spaces or invisible characters): leave it out or describe the data";

    /// <summary>
    /// Policies test a documented fact by presence (lib.present): a collection method, preparation step,
    /// description or pseudonymisation method of spaces would count as documented (rules 1, 3, 9).
    /// </summary>
    private static void CheckText(DatasetTerms terms, FieldErrors errors)
    {
        NotBlank(terms.Title, "/title", errors);
        NotBlank(terms.Description, "/description", errors);
        NotBlank(terms.Controller, "/controller", errors);
        NotBlank(terms.Origin.CollectionMethod, "/origin/collectionMethod", errors);
        NotBlank(terms.Origin.PreparationSteps, "/origin/preparationSteps", errors);
        NotBlank(terms.Origin.Crawler?.UserAgent, "/origin/crawler/userAgent", errors);
        NotBlank(terms.PersonalData.OriginalPurpose, "/personalData/originalPurpose", errors);
        NotBlank(terms.PersonalData.PseudonymisationMethod, "/personalData/pseudonymisationMethod", errors);
        NotBlank(terms.Content.Preprocessing, "/content/preprocessing", errors);
        NotBlank(terms.Content.KnownBiases, "/content/knownBiases", errors);
        NotBlank(terms.Content.IllegalContentRemoval, "/content/illegalContentRemoval", errors);
        NotBlank(terms.Use.IntendedUse, "/use/intendedUse", errors);
    }

    private static void NotBlank(string? text, string pointer, FieldErrors errors)
    {
        if (text is not null && IsBlank(text))
        {
            errors.Add(pointer, Blank);
        }
    }

    private static void NotBlank(IReadOnlyList<string> texts, string pointer, FieldErrors errors)
    {
        for (var i = 0; i < texts.Count; i++)
        {
            NotBlank(texts[i], $"{pointer}/{i}", errors);
        }
    }

    private static bool IsBlank(string text) =>
        text.All(c => char.IsWhiteSpace(c) || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format);
}
