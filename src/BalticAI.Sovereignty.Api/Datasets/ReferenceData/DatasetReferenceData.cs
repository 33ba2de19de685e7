using System.Text.Json;
using System.Text.Json.Serialization;

namespace BalticAI.Sovereignty.Api.Datasets.ReferenceData;

/// <summary>What a licence allows, as policies compare it with a model's licence (rule 6).</summary>
public sealed record LicenceTerms(
    string Name,
    bool CommercialUse,
    bool Derivatives,
    bool ShareAlike,
    bool ResearchOnly,
    [property: JsonPropertyName("notes")] string? Notes = null);

/// <summary>
/// The open sets a dataset is checked against, read from `policies/data/` (copied beside the
/// binaries, or `Datasets:ReferenceDataPath`): countries, storage sites, national security classes,
/// SPDX identifiers and licence terms. A country adds a security class by editing the data file.
/// </summary>
public sealed class DatasetReferenceData
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public required IReadOnlySet<string> Countries { get; init; }
    /// <summary>EU and EEA member states (`countries.json`: eu and eeaOutsideEu), as the residency rule reads them.</summary>
    public required IReadOnlySet<string> Eea { get; init; }
    /// <summary>NATO members (`countries.json`: nato).</summary>
    public required IReadOnlySet<string> Nato { get; init; }
    public required IReadOnlyDictionary<string, string> SiteCountries { get; init; }

    /// <summary>Storage sites that are a state's data embassy (sites.json `dataEmbassyFor`), by site id: the state they serve.</summary>
    public required IReadOnlyDictionary<string, string> DataEmbassies { get; init; }
    public required IReadOnlyDictionary<string, IReadOnlySet<string>> SecurityClasses { get; init; }
    public required IReadOnlySet<string> SpdxLicences { get; init; }
    public required IReadOnlySet<string> DeprecatedSpdxLicences { get; init; }
    public required IReadOnlyDictionary<string, LicenceTerms> Licences { get; init; }

    /// <summary>Countries whose adequacy decision covers only organisations certified under it (the US: the EU-US DPF).</summary>
    public required IReadOnlySet<string> DpfCountries { get; init; }

    public static string DefaultDirectory => Path.Combine(AppContext.BaseDirectory, "policies", "data");

    public static DatasetReferenceData Load(string directory)
    {
        var countries = Read<CountriesFile>(directory, "iso_countries.json").IsoCountries;
        var groups = Read<CountryGroupsFile>(directory, "countries.json").Countries;
        var sites = Read<SitesFile>(directory, "sites.json").Sites;
        var classes = Read<SecurityClassesFile>(directory, "security_classes.json").Classes;
        var licences = Read<LicencesFile>(directory, "licences.json").Licences;
        var adequacy = Read<AdequacyFile>(directory, "countries.json").Countries.Adequacy;
        return new DatasetReferenceData
        {
            Countries = countries.ToHashSet(StringComparer.Ordinal),
            Eea = groups.Eu.Concat(groups.EeaOutsideEu).ToHashSet(StringComparer.Ordinal),
            Nato = groups.Nato.ToHashSet(StringComparer.Ordinal),
            SiteCountries = sites.ToDictionary(s => s.Key, s => s.Value.Country, StringComparer.Ordinal),
            DataEmbassies = sites.Where(s => s.Value.DataEmbassyFor is not null).ToDictionary(s => s.Key, s => s.Value.DataEmbassyFor!, StringComparer.Ordinal),
            SecurityClasses = classes.ToDictionary(c => c.Key, c => (IReadOnlySet<string>)c.Value.Keys.ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal),
            SpdxLicences = Read<string[]>(directory, "spdx/index.json").ToHashSet(StringComparer.Ordinal),
            DeprecatedSpdxLicences = Read<string[]>(directory, "spdx/deprecated.json").ToHashSet(StringComparer.Ordinal),
            Licences = new Dictionary<string, LicenceTerms>(licences, StringComparer.Ordinal),
            DpfCountries = adequacy.Where(a => a.Value.RequiresDpfCertification).Select(a => a.Key).ToHashSet(StringComparer.Ordinal),
        };
    }

    private static T Read<T>(string directory, string file)
    {
        var path = Path.Combine(directory, file);
        using var stream = File.OpenRead(path);
        return JsonSerializer.Deserialize<T>(stream, Options) ?? throw new InvalidOperationException($"{path} is empty");
    }

    private sealed record CountriesFile(string[] IsoCountries);

    private sealed record CountryGroups(string[] Eu, string[] EeaOutsideEu, string[] Nato);

    private sealed record CountryGroupsFile(CountryGroups Countries);

    private sealed record SiteEntry(string Country, string Name, string? DataEmbassyFor);

    private sealed record SitesFile(Dictionary<string, SiteEntry> Sites);

    private sealed record SecurityClassesFile(Dictionary<string, Dictionary<string, string>> Classes);

    private sealed record LicencesFile(Dictionary<string, LicenceTerms> Licences);

    private sealed record AdequacyDecision(bool RequiresDpfCertification);

    private sealed record AdequacyCountries(Dictionary<string, AdequacyDecision> Adequacy);

    private sealed record AdequacyFile(AdequacyCountries Countries);
}
