using static BalticAI.Sovereignty.Api.Datasets.PublishingVersion.PublishVersion;

namespace BalticAI.Sovereignty.Api.Datasets.Demo;

public sealed record DemoDataset(string Owner, DatasetTerms Terms, PublishVersionRequest Version);

/// <summary>
/// Realistic datasets from the four countries (docs/domain.md, "Realistic sample data"): the fixtures
/// policies are tested against. Figures follow public descriptions of PLLuM and Bielik; the rest are
/// plausible, not real. Digests are filled in by the seeder.
/// </summary>
public static class DemoDatasets
{
    private static readonly DateOnly Day = new(2025, 1, 1);

    public static IReadOnlyList<DemoDataset> All { get; } =
    [
        new("pl-mc", new DatasetTerms
        {
            Title = "PLLuM research corpus (Polish, research-only part)",
            Description = "Polish texts collected for PLLuM that may serve non-commercial research only.",
            Controller = "Ministerstwo Cyfryzacji",
            Contact = "pllum@cyfra.gov.example",
            Sovereignty = new() { OriginCountry = "PL", Storage = new() { Country = "PL", Site = "pl-warsaw-nask" }, Residency = Residency.Eea },
            Origin = new() { SourceType = SourceType.Crawled, SourceUri = "https://pllum.example/corpus", CollectionMethod = "Web crawl of Polish domains and donated collections by the PLLuM consortium", PreparationSteps = ["deduplication", "language identification", "quality filtering"], CollectionPeriod = new() { From = new(2023, 6, 1), To = new(2024, 12, 31) }, Crawler = new() { UserAgent = "PLLuMBot/1.0", HonoursRobotsTxt = true, HonoursTdmReservationProtocol = true, ExcludedDomains = ["wp.pl"] } },
            Licensing = new() { Licence = "LicenseRef-PLLuM-Research", Restrictions = [LicenceRestriction.Nc, LicenceRestriction.ResearchOnly], CopyrightBasis = CopyrightBasis.TdmResearchException },
            PersonalData = new() { ContainsPersonalData = true, LawfulBasis = LawfulBasis.PublicTask, OriginalPurpose = "research", PseudonymisationMethod = "named-entity masking" },
            Sector = new() { PublicSector = true, SecurityClass = new() { Country = "PL", Class = "SCCO1" }, ProtectedCategories = [ProtectedCategory.ThirdPartyIp, ProtectedCategory.PersonalData] },
            Content = new() { Modality = Modality.Text, Preprocessing = ["near-duplicate removal"], KnownBiases = ["over-represents news and forum text"], IllegalContentRemoval = ["CSAM hash matching against the national hotline's list", "domain block list of the NASK CERT"] },
            Use = new() { IntendedUse = "Pre-training of non-commercial research models", PermittedPurposes = ["research"], ReuseConditions = new() { Reference = "urn:pl-mc:reuse-conditions:pllum-2024" } },
            Evidence = new() { Dpia = new() { Reference = "urn:pl-mc:dpia:pllum-2024-03", IssuedOn = Day }, TdmOptOutCheck = new() { Reference = "urn:pl-mc:tdm-check:2024-12" } },
        }, new("", 1_100_000_000_000, 122_000_000_000, ["pl"], "Corpus snapshot 2024-12")),

        new("pl-speakleash", new DatasetTerms
        {
            Title = "SpeakLeash Polish collection (Bielik training subset)",
            Description = "Quality-filtered, topic-tagged Polish documents used to train Bielik.",
            Controller = "Fundacja SpeakLeash",
            Contact = "https://speakleash.example/contact",
            Sovereignty = new() { OriginCountry = "PL", Storage = new() { Country = "PL", Site = "pl-krakow-cyfronet" } },
            Origin = new() { SourceType = SourceType.Public, SourceUri = "https://speakleash.example/datasets", CollectionMethod = "Curated collection of openly licensed Polish texts", PreparationSteps = ["quality classifier", "topic tagging"], CollectionPeriod = new() { From = new(2022, 1, 1), To = new(2024, 6, 30) } },
            Licensing = new() { Licence = "Apache-2.0", CopyrightBasis = CopyrightBasis.Licensed },
            PersonalData = new() { ContainsPersonalData = false },
            Content = new() { Modality = Modality.Text, Preprocessing = ["quality filtering"], KnownBiases = ["formal register dominates"] },
            Use = new() { IntendedUse = "Training open Polish language models", PermittedPurposes = ["research", "commercial"] },
        }, new("", 350_000_000_000, 90_000_000_000, ["pl"], "Bielik v2 training subset")),

        new("pl-wp", new DatasetTerms
        {
            Title = "Wirtualna Polska news archive (licensed)",
            Description = "News articles licensed for AI training; WP reserves all content against TDM otherwise.",
            Controller = "Wirtualna Polska Media S.A.",
            Contact = "licencje-ai@wp.example",
            Sovereignty = new() { OriginCountry = "PL", Storage = new() { Country = "PL" } },
            Origin = new() { SourceType = SourceType.Licensed, SourceUri = "https://wp.pl", CollectionMethod = "Export from the publisher's content management system", PreparationSteps = ["removal of paywall markup", "deduplication"], CollectionPeriod = new() { From = new(2010, 1, 1), To = new(2025, 6, 30) } },
            Licensing = new() { Licence = "LicenseRef-WP-Publisher-Licence", Restrictions = [LicenceRestriction.Nd], CopyrightBasis = CopyrightBasis.Licensed },
            PersonalData = new() { ContainsPersonalData = true, LawfulBasis = LawfulBasis.LegitimateInterests, OriginalPurpose = "Journalism", PseudonymisationMethod = "none" },
            Content = new() { Modality = Modality.Text, KnownBiases = ["editorial line of one publisher"] },
            Use = new() { IntendedUse = "Training under the bilateral licence only", PermittedPurposes = ["commercial", "research"], Expires = new(2027, 12, 31) },
            Evidence = new() { TdmOptOutCheck = new() { Reference = "https://wp.pl/robots.txt", IssuedOn = new(2025, 7, 1) }, Dpia = new() { Reference = "urn:pl-wp:dpia:2025-02" } },
        }, new("", 48_000_000_000, 11_000_000_000, ["pl"], "Archive export 2025-06")),

        new("ee-ria", new DatasetTerms
        {
            Title = "Estonian public-sector documents (Riigi Teataja and e-services)",
            Controller = "Riigi Infosüsteemi Amet",
            Contact = "andmed@ria.example",
            Sovereignty = new() { OriginCountry = "EE", Storage = new() { Country = "EE", Site = "ee-tallinn-riigipilv" }, Residency = Residency.National },
            Origin = new() { SourceType = SourceType.Public, SourceUri = "https://www.riigiteataja.ee", CollectionMethod = "Export of published legal acts and public e-service texts", PreparationSteps = ["HTML to text", "language identification"], CollectionPeriod = new() { From = new(2002, 1, 1) } },
            Licensing = new() { Licence = "LicenseRef-EE-Open-Data", CopyrightBasis = CopyrightBasis.PublicSectorReuse },
            PersonalData = new() { ContainsPersonalData = false },
            Sector = new() { PublicSector = true, SecurityClass = new() { Country = "EE", Class = "E-ITS-M" } },
            Content = new() { Modality = Modality.Text },
            Use = new() { PermittedPurposes = ["research", "commercial", "public-sector-service"] },
        }, new("", 9_500_000_000, 2_100_000_000, ["et", "en", "ru"], null)),

        new("lt-rc", new DatasetTerms
        {
            Title = "Lithuanian Register of Legal Entities extracts (critical state data)",
            Description = "Extracts of the Lithuanian Register of Legal Entities kept by the state enterprise Registru centras.",
            Controller = "VĮ Registrų centras",
            Contact = "duomenys@registrucentras.example",
            Sovereignty = new() { OriginCountry = "LT", Storage = new() { Country = "LT", Site = "lt-vilnius-rc" }, Residency = Residency.EuEeaNato },
            Origin = new() { SourceType = SourceType.Private, CollectionMethod = "Extracts from state registers", PreparationSteps = ["export from the register", "keyed hashing of personal codes"], CollectionPeriod = new() { From = new(2004, 1, 1), To = new(2025, 9, 30) } },
            Licensing = new() { Licence = "LicenseRef-LT-State-Data-Reuse", Restrictions = [LicenceRestriction.Nc], CopyrightBasis = CopyrightBasis.PublicSectorReuse },
            PersonalData = new() { ContainsPersonalData = true, LawfulBasis = LawfulBasis.LegalObligation, OriginalPurpose = "Keeping the state register of legal entities", PseudonymisationMethod = "keyed hashing of personal codes" },
            Sector = new() { PublicSector = true, SecurityClass = new() { Country = "LT", Class = "LT-CRITICAL" }, ProtectedCategories = [ProtectedCategory.PersonalData] },
            Content = new() { Modality = Modality.Tabular },
            Use = new() { PermittedPurposes = ["public-sector-service"], ReuseConditions = new() { Reference = "urn:lt-rc:reuse-conditions:2025-09", AllowedCountries = ["LT"] } },
            Evidence = new() { Dpia = new() { Reference = "urn:lt-rc:dpia:2025-07" }, PurposeCompatibility = new() { Reference = "urn:lt-rc:art6-4:2025-08" } },
        }, new("", 120_000_000_000, null, ["lt"], null)),

        new("lv-nvd", new DatasetTerms
        {
            Title = "Latvian hospital discharge summaries (pseudonymised)",
            Description = "Discharge summaries of Latvian hospitals from the national e-health system, pseudonymised for secondary use.",
            Controller = "Nacionālais veselības dienests",
            Contact = "datu-pieprasijumi@vmnvd.example",
            Sovereignty = new() { OriginCountry = "LV", Storage = new() { Country = "LV", Site = "lv-riga-vdc" }, Residency = Residency.Eea },
            Origin = new() { SourceType = SourceType.Private, CollectionMethod = "Extract from the national e-health system", PreparationSteps = ["pseudonymisation by a trusted third party", "removal of free-text identifiers"], CollectionPeriod = new() { From = new(2018, 1, 1), To = new(2024, 12, 31) } },
            Licensing = new() { Licence = "LicenseRef-LV-EHDS-Permit", Restrictions = [LicenceRestriction.Nc, LicenceRestriction.ResearchOnly], CopyrightBasis = CopyrightBasis.Owned },
            PersonalData = new() { ContainsPersonalData = true, SpecialCategories = [SpecialCategory.Health], LawfulBasis = LawfulBasis.PublicTask, OriginalPurpose = "Provision and reimbursement of health care", PseudonymisationMethod = "trusted third party pseudonyms", DataSubjects = 900_000 },
            Sector = new() { Health = true, PublicSector = true, SecurityClass = new() { Country = "LV", Class = "LV-RESTRICTED" }, ProtectedCategories = [ProtectedCategory.PersonalData] },
            Content = new() { Modality = Modality.Text, KnownBiases = ["hospital care only, no primary care"] },
            Use = new() { PermittedPurposes = ["research"], Expires = new(2029, 12, 31), ReuseConditions = new() { Reference = "urn:lv-nvd:reuse-conditions:2025-01", PermittedPurposes = ["research"], SecureProcessingEnvironment = true, AllowedCountries = ["LV", "LT", "EE", "PL"] } },
            Evidence = new() { Dpia = new() { Reference = "urn:lv-nvd:dpia:2025-01" }, Art9Exception = new() { Reference = "urn:lv-nvd:art9-2-j:2025-01" }, DataPermit = new() { Reference = "urn:lv-hdab:permit:2025-0042" } },
        }, new("", 2_300_000_000, 610_000_000, ["lv"], null)),
    ];
}
