using BalticAI.Sovereignty.Api.Datasets;
using BalticAI.Sovereignty.Api.Datasets.ReferenceData;

namespace BalticAI.Sovereignty.Api.Provenance.ModelVersions;

/// <summary>One inherited restriction and where it comes from (a dataset version or a base model).</summary>
public sealed record RestrictionSource(string Restriction, string From, string Because);

/// <summary>
/// What a model version may not be used for, inherited from everything it was trained on (rules 5 and
/// 6): non-commercial, research-only, no-derivatives and share-alike carry forward through fine-tunes,
/// and a model licence broader than its inputs' is reported as a conflict.
/// </summary>
public sealed record ModelRestrictions(
    bool NonCommercial,
    bool ResearchOnly,
    bool NoDerivatives,
    bool ShareAlike,
    IReadOnlyList<string> InputLicences,
    IReadOnlyList<RestrictionSource> Sources,
    IReadOnlyList<string> LicenceConflicts)
{
    public const string Nc = "non-commercial";
    public const string ResearchOnlyToken = "research-only";
    public const string Nd = "no-derivatives";
    public const string Sa = "share-alike";
}

/// <summary>Pure: the restrictions a model version inherits.</summary>
public static class RestrictionInheritance
{
    /// <summary>A dataset version's licensing terms, as the model's input.</summary>
    public sealed record DatasetInput(string From, LicensingTerms Licensing);

    /// <summary>The base model: a registered model version's restrictions, or only an external model's licence.</summary>
    public sealed record BaseInput(string From, string? Licence, ModelRestrictions? Restrictions);

    public static ModelRestrictions Inherit(
        IReadOnlyList<DatasetInput> datasets, BaseInput? baseModel, string? modelLicence, IReadOnlyDictionary<string, LicenceTerms> licences)
    {
        var sources = new List<RestrictionSource>();
        var inputLicences = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var dataset in datasets)
        {
            inputLicences.Add(dataset.Licensing.Licence);
            foreach (var restriction in dataset.Licensing.Restrictions)
            {
                sources.AddRange(FromDeclared(restriction, dataset.From));
            }
            if (dataset.Licensing.CopyrightBasis == CopyrightBasis.TdmResearchException)
            {
                sources.Add(new(ModelRestrictions.ResearchOnlyToken, dataset.From, "collected under the research TDM exception (DSM Art. 3)"));
                sources.Add(new(ModelRestrictions.Nc, dataset.From, "collected under the research TDM exception (DSM Art. 3)"));
            }
            sources.AddRange(FromLicence(dataset.Licensing.Licence, dataset.From, licences));
        }
        if (baseModel is not null)
        {
            if (baseModel.Licence is { } baseLicence)
            {
                inputLicences.Add(baseLicence);
                sources.AddRange(FromLicence(baseLicence, baseModel.From, licences));
            }
            if (baseModel.Restrictions is { } inherited)
            {
                inputLicences.UnionWith(inherited.InputLicences);
                sources.AddRange(inherited.Sources.Select(s => s with { Because = $"{s.Because} (via {s.From})", From = baseModel.From }));
            }
        }
        var distinct = sources.Distinct().ToList();
        bool Has(string token) => distinct.Any(s => s.Restriction == token);
        var result = new ModelRestrictions(Has(ModelRestrictions.Nc), Has(ModelRestrictions.ResearchOnlyToken), Has(ModelRestrictions.Nd),
            Has(ModelRestrictions.Sa), [.. inputLicences], distinct, []);
        return result with { LicenceConflicts = Conflicts(result, modelLicence, licences) };
    }

    private static IEnumerable<RestrictionSource> FromDeclared(LicenceRestriction restriction, string from) => restriction switch
    {
        LicenceRestriction.Nc => [new(ModelRestrictions.Nc, from, "the dataset's terms restrict it to non-commercial use")],
        LicenceRestriction.ResearchOnly =>
        [
            new(ModelRestrictions.ResearchOnlyToken, from, "the dataset's terms restrict it to research"),
            new(ModelRestrictions.Nc, from, "the dataset's terms restrict it to research"),
        ],
        LicenceRestriction.Nd => [new(ModelRestrictions.Nd, from, "the dataset's terms forbid derivatives")],
        LicenceRestriction.ShareAlike => [new(ModelRestrictions.Sa, from, "the dataset's terms require share-alike")],
        _ => [],
    };

    private static IEnumerable<RestrictionSource> FromLicence(string licence, string from, IReadOnlyDictionary<string, LicenceTerms> licences)
    {
        if (!licences.TryGetValue(licence, out var terms))
        {
            yield break;
        }
        var because = $"licence {licence}";
        if (!terms.CommercialUse)
        {
            yield return new(ModelRestrictions.Nc, from, because);
        }
        if (terms.ResearchOnly)
        {
            yield return new(ModelRestrictions.ResearchOnlyToken, from, because);
        }
        if (!terms.Derivatives)
        {
            yield return new(ModelRestrictions.Nd, from, because);
        }
        if (terms.ShareAlike)
        {
            yield return new(ModelRestrictions.Sa, from, because);
        }
    }

    /// <summary>Rule 6: the model's licence may not be broader than any input's.</summary>
    private static IReadOnlyList<string> Conflicts(ModelRestrictions inherited, string? modelLicence, IReadOnlyDictionary<string, LicenceTerms> licences)
    {
        if (modelLicence is null)
        {
            return [];
        }
        if (!licences.TryGetValue(modelLicence, out var terms))
        {
            return inherited.Sources.Count == 0 ? [] : [$"the model licence {modelLicence} has no recorded terms to compare with its inputs'"];
        }
        var conflicts = new List<string>();
        if (inherited.NonCommercial && terms.CommercialUse)
        {
            conflicts.Add($"the model licence {modelLicence} allows commercial use, but an input is non-commercial");
        }
        if (inherited.ResearchOnly && !terms.ResearchOnly)
        {
            conflicts.Add($"the model licence {modelLicence} is not limited to research, but an input is research-only");
        }
        if (inherited.NoDerivatives)
        {
            conflicts.Add("an input forbids derivatives, and a trained model is one");
        }
        if (inherited.ShareAlike && !terms.ShareAlike)
        {
            conflicts.Add($"the model licence {modelLicence} is not share-alike, but an input requires it");
        }
        return conflicts;
    }
}
