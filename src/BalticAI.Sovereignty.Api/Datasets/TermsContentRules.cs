using System.Text.RegularExpressions;
using BalticAI.Sovereignty.Api.Datasets.ReferenceData;
using BalticAI.Sovereignty.Api.Infrastructure.Validation;

namespace BalticAI.Sovereignty.Api.Datasets;

/// <summary>
/// Content checks on terms that passed the schema (422 when any fails): reference data (countries,
/// sites, security classes, licences), consistency between facts, and dates. Pure given the data.
/// </summary>
public static partial class TermsContentRules
{
    /// <param name="terms">Terms that passed the schema.</param>
    /// <param name="data">Countries, sites, security classes and licences.</param>
    /// <param name="knownDatasets">Registered datasets among those the terms derive from (see <see cref="Lineage"/>).</param>
    /// <param name="self">The dataset being amended, which cannot derive from itself; empty on registration.</param>
    public static FieldErrors Check(DatasetTerms terms, DatasetReferenceData data, IReadOnlySet<Guid> knownDatasets, Guid? self = null)
    {
        var errors = new FieldErrors();
        CheckText(terms, errors);
        CheckContact(terms.Contact, errors);
        CheckSovereignty(terms.Sovereignty, data, errors);
        CheckOrigin(terms.Origin, errors);
        CheckLicensing(terms.Licensing, data, errors);
        CheckPersonalData(terms.PersonalData, errors);
        CheckSecurityClass(terms.Sector.SecurityClass, data, errors);
        CheckPublicSector(terms, data, errors);
        CheckLineage(terms.Lineage, knownDatasets, self, errors);
        if (terms.Use.Expires is { } expires && terms.Origin.CollectionPeriod is { } period && expires < (period.To ?? period.From))
        {
            errors.Add("/use/expires", "is before the end of the collection period");
        }
        return errors;
    }

    /// <summary>
    /// The contact is no free text and reaches regulator feeds: Uri.TryCreate takes `https://x.example/ Jan
    /// Kowalski, tel. ...` (it escapes the spaces), so whitespace is refused before either form is tried.
    /// </summary>
    private static void CheckContact(string contact, FieldErrors errors)
    {
        var isMailbox = FunctionalMailbox().IsMatch(contact);
        var isWebForm = Uri.TryCreate(contact, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps;
        if (contact.Any(char.IsWhiteSpace) || (!isMailbox && !isWebForm))
        {
            errors.Add("/contact", "must be a functional mailbox (name@domain) or an https URL, without spaces");
        }
    }

    private static void CheckSovereignty(SovereigntyTerms sovereignty, DatasetReferenceData data, FieldErrors errors)
    {
        CheckCountry(sovereignty.OriginCountry, "/sovereignty/originCountry", data, errors);
        CheckCountry(sovereignty.Storage.Country, "/sovereignty/storage/country", data, errors);
        if (sovereignty.Storage.Site is { } site)
        {
            if (!data.SiteCountries.TryGetValue(site, out var siteCountry))
            {
                errors.Add("/sovereignty/storage/site", $"'{site}' is not a known site (policies/data/sites.json)");
            }
            else if (siteCountry != sovereignty.Storage.Country)
            {
                errors.Add("/sovereignty/storage/site", $"'{site}' is in {siteCountry}, not in {sovereignty.Storage.Country}");
            }
        }
        // The residency constraint says where copies may be kept: the recorded copy is one of them.
        var storage = sovereignty.Storage.Country;
        var outside = sovereignty.Residency switch
        {
            // The state's own data embassy abroad is national infrastructure by treaty (Estonia's in Luxembourg), as rules/residency holds.
            Residency.National when storage != sovereignty.OriginCountry
                && !(sovereignty.Storage.Site is { } embassy && data.DataEmbassies.GetValueOrDefault(embassy) == sovereignty.OriginCountry)
                => "national residency requires storage in the country of origin or at its own data embassy",
            Residency.Eea when !data.Eea.Contains(storage) => $"residency eea requires storage in the EU/EEA; {storage} is outside it",
            Residency.EuEeaNato when !data.Eea.Contains(storage) && !data.Nato.Contains(storage) => $"residency eu-eea-nato requires storage in an EU, EEA or NATO country; {storage} is none",
            _ => null,
        };
        if (outside is not null)
        {
            errors.Add("/sovereignty/storage/country", outside);
        }
    }

    private static void CheckCountry(string code, string pointer, DatasetReferenceData data, FieldErrors errors)
    {
        if (!data.Countries.Contains(code))
        {
            errors.Add(pointer, $"'{code}' is not an ISO 3166-1 alpha-2 country code");
        }
    }

    private static void CheckOrigin(OriginTerms origin, FieldErrors errors)
    {
        if (origin.SourceUri is { } source
            && (source.Any(char.IsWhiteSpace) || !(Uri.TryCreate(source, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" or "s3" or "urn")))
        {
            errors.Add("/origin/sourceUri", "must be an absolute http(s), s3 or urn URI, without spaces");
        }
        var excluded = origin.Crawler?.ExcludedDomains ?? [];
        for (var i = 0; i < excluded.Count; i++)
        {
            if (excluded[i].Any(char.IsWhiteSpace) || Uri.CheckHostName(excluded[i]) != UriHostNameType.Dns)
            {
                errors.Add($"/origin/crawler/excludedDomains/{i}", $"'{excluded[i]}' is not a domain name (e.g. wp.pl)");
            }
        }
        if (origin.CollectionPeriod is { To: { } to } period && to < period.From)
        {
            errors.Add("/origin/collectionPeriod/to", "is before the start of the collection period");
        }
        if (origin.SourceType == SourceType.Crawled && origin.Crawler is null)
        {
            errors.Add("/origin/crawler", "is required for crawled data (user agent and opt-out handling)");
        }
    }

    private static void CheckLicensing(LicensingTerms licensing, DatasetReferenceData data, FieldErrors errors)
    {
        const string pointer = "/licensing/licence";
        var licence = licensing.Licence;
        if (licence.StartsWith("LicenseRef-", StringComparison.Ordinal))
        {
            if (!data.Licences.ContainsKey(licence))
            {
                errors.Add(pointer, $"'{licence}' has no terms in policies/data/licences.json");
            }
        }
        else if (data.DeprecatedSpdxLicences.Contains(licence))
        {
            errors.Add(pointer, $"'{licence}' is a deprecated SPDX identifier; use its current form (e.g. -only or -or-later)");
        }
        else if (!data.SpdxLicences.Contains(licence))
        {
            var hint = data.SpdxLicences.FirstOrDefault(id => string.Equals(id, licence, StringComparison.OrdinalIgnoreCase));
            errors.Add(pointer, hint is null ? $"'{licence}' is not an SPDX licence identifier or a LicenseRef-*" : $"'{licence}' is not an SPDX identifier; did you mean '{hint}'?");
        }
        if (data.Licences.TryGetValue(licence, out var terms))
        {
            RequireRestriction(!terms.CommercialUse, LicenceRestriction.Nc, licensing, errors);
            RequireRestriction(!terms.Derivatives, LicenceRestriction.Nd, licensing, errors);
            RequireRestriction(terms.ShareAlike, LicenceRestriction.ShareAlike, licensing, errors);
            RequireRestriction(terms.ResearchOnly, LicenceRestriction.ResearchOnly, licensing, errors);
        }
    }

    /// <summary>Declared restrictions may be stricter than the licence, never looser.</summary>
    private static void RequireRestriction(bool licenceImposes, LicenceRestriction restriction, LicensingTerms licensing, FieldErrors errors)
    {
        if (licenceImposes && !licensing.Restrictions.Contains(restriction))
        {
            var name = System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(restriction.ToString());
            errors.Add("/licensing/restrictions", $"must include '{name}': licence {licensing.Licence} imposes it");
        }
    }

    private static void CheckPersonalData(PersonalDataTerms personal, FieldErrors errors)
    {
        if (!personal.ContainsPersonalData)
        {
            if (personal.SpecialCategories.Count > 0)
            {
                errors.Add("/personalData/specialCategories", "special categories are personal data; set containsPersonalData to true");
            }
            if (personal.DataSubjects > 0)
            {
                errors.Add("/personalData/dataSubjects", "data without personal data have no data subjects; set containsPersonalData to true");
            }
            return;
        }
        if (personal.LawfulBasis is null)
        {
            errors.Add("/personalData/lawfulBasis", "is required when the dataset contains personal data (GDPR Art. 6)");
        }
        if (personal.OriginalPurpose is null)
        {
            errors.Add("/personalData/originalPurpose", "is required when the dataset contains personal data (GDPR Art. 5(1)(b))");
        }
    }

    private static void CheckSecurityClass(SecurityClassification? classification, DatasetReferenceData data, FieldErrors errors)
    {
        if (classification is null)
        {
            return;
        }
        if (!data.SecurityClasses.TryGetValue(classification.Country, out var classes))
        {
            errors.Add("/sector/securityClass/country", $"no security classes are configured for '{classification.Country}'");
        }
        else if (!classes.Contains(classification.Class))
        {
            errors.Add("/sector/securityClass/class", $"'{classification.Class}' is not a security class of {classification.Country} ({string.Join(", ", classes.Order(StringComparer.Ordinal))})");
        }
    }

    /// <summary>Protection grounds and re-use conditions are the public-sector holder's (DGA Arts. 3, 5).</summary>
    private static void CheckPublicSector(DatasetTerms terms, DatasetReferenceData data, FieldErrors errors)
    {
        if (terms.Sector.ProtectedCategories.Count > 0 && !terms.Sector.PublicSector)
        {
            errors.Add("/sector/protectedCategories", "only public-sector data have DGA protection grounds; set publicSector to true");
        }
        if (terms.Use.ReuseConditions is not { } conditions)
        {
            return;
        }
        if (!terms.Sector.PublicSector)
        {
            errors.Add("/use/reuseConditions", "re-use conditions are published by public-sector holders; set sector.publicSector to true");
        }
        for (var i = 0; i < conditions.AllowedCountries.Count; i++)
        {
            CheckCountry(conditions.AllowedCountries[i], $"/use/reuseConditions/allowedCountries/{i}", data, errors);
        }
    }

    /// <summary>
    /// The schema's uniqueItems compares strings, so one id in upper and lower case passed it and was
    /// recorded as two links; the ids are compared here as ids.
    /// </summary>
    private static void CheckLineage(LineageTerms lineage, IReadOnlySet<Guid> knownDatasets, Guid? self, FieldErrors errors)
    {
        var seen = new HashSet<Guid>();
        for (var i = 0; i < lineage.DerivedFrom.Count; i++)
        {
            var source = lineage.DerivedFrom[i];
            if (!seen.Add(source))
            {
                errors.Add($"/lineage/derivedFrom/{i}", $"names dataset {source} a second time");
            }
            else if (source == self)
            {
                errors.Add($"/lineage/derivedFrom/{i}", "a dataset cannot derive from itself");
            }
            else if (!knownDatasets.Contains(source))
            {
                errors.Add($"/lineage/derivedFrom/{i}", $"no dataset {source} is registered");
            }
        }
    }

    [GeneratedRegex(@"^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\z")]
    private static partial Regex FunctionalMailbox();
}
