using BalticAI.Sovereignty.Api.Ledger;

namespace BalticAI.Sovereignty.Api.Datasets;

// The facts policies decide on (docs/domain.md, "Dataset facts the registration API should capture").
// The owner organisation is never part of the terms: it comes from the caller's tenant.
// Free text is short (schemas/dataset-terms.schema.json caps each field) and must describe the data,
// not people: controller and contact are organisations or functional addresses.

/// <summary>Everything an owner declares about a dataset; amended as a whole by merge patch.</summary>
public sealed record DatasetTerms
{
    [FreeText] public required string Title { get; init; }
    [FreeText] public string? Description { get; init; }
    /// <summary>The controller organisation (GDPR Art. 4(7)), by name; never a person.</summary>
    [FreeText] public required string Controller { get; init; }
    /// <summary>A functional mailbox or web form (`data-office@...`, `https://...`), never a person's.</summary>
    public required string Contact { get; init; }
    public required SovereigntyTerms Sovereignty { get; init; }
    public required OriginTerms Origin { get; init; }
    public required LicensingTerms Licensing { get; init; }
    public required PersonalDataTerms PersonalData { get; init; }
    public SectorTerms Sector { get; init; } = new();
    public required ContentTerms Content { get; init; }
    public LineageTerms Lineage { get; init; } = new();
    public UseTerms Use { get; init; } = new();
    public EvidenceTerms Evidence { get; init; } = new();
}

public sealed record SovereigntyTerms
{
    /// <summary>ISO 3166-1 alpha-2 country the data originate in.</summary>
    public required string OriginCountry { get; init; }
    public required StorageLocation Storage { get; init; }
    public Residency Residency { get; init; } = Residency.None;
}

public sealed record StorageLocation
{
    public required string Country { get; init; }
    /// <summary>A site of policies/data/sites.json, when the data sit at a known site.</summary>
    public string? Site { get; init; }
}

public sealed record OriginTerms
{
    public required SourceType SourceType { get; init; }
    public string? SourceUri { get; init; }
    [FreeText] public required string CollectionMethod { get; init; }
    [FreeText] public IReadOnlyList<string> PreparationSteps { get; init; } = [];
    public CollectionPeriod? CollectionPeriod { get; init; }
    public CrawlerTerms? Crawler { get; init; }
    /// <summary>The rights holder reserved the content against TDM (rule 4): commercial use needs a licence.</summary>
    public bool TdmReserved { get; init; }
}

public sealed record CollectionPeriod
{
    public required DateOnly From { get; init; }
    public DateOnly? To { get; init; }
}

/// <summary>How a crawl honoured machine-readable TDM opt-outs (rule 4); the check itself is evidence.</summary>
public sealed record CrawlerTerms
{
    public required string UserAgent { get; init; }
    public bool HonoursRobotsTxt { get; init; }
    public bool HonoursTdmReservationProtocol { get; init; }
    /// <summary>Domains excluded because their owners reserved TDM (e.g. wp.pl).</summary>
    public IReadOnlyList<string> ExcludedDomains { get; init; } = [];
}

public sealed record LicensingTerms
{
    /// <summary>An SPDX licence id, or a `LicenseRef-*` described in policies/data/licences.json.</summary>
    public required string Licence { get; init; }
    public IReadOnlyList<LicenceRestriction> Restrictions { get; init; } = [];
    public required CopyrightBasis CopyrightBasis { get; init; }
}

public sealed record PersonalDataTerms
{
    public required bool ContainsPersonalData { get; init; }
    public IReadOnlyList<SpecialCategory> SpecialCategories { get; init; } = [];
    public LawfulBasis? LawfulBasis { get; init; }
    [FreeText] public string? OriginalPurpose { get; init; }
    [FreeText] public string? PseudonymisationMethod { get; init; }
    /// <summary>Approximate number of data subjects; a large number makes a DPIA necessary (GDPR Art. 35).</summary>
    public long? DataSubjects { get; init; }
}

public sealed record SectorTerms
{
    public bool Health { get; init; }
    public bool PublicSector { get; init; }
    public bool Classified { get; init; }
    public SecurityClassification? SecurityClass { get; init; }
    /// <summary>Grounds on which public-sector data are protected (DGA Art. 3(1)); empty when none.</summary>
    public IReadOnlyList<ProtectedCategory> ProtectedCategories { get; init; } = [];
}

/// <summary>A national security class (PL SCCO, EE E-ITS, LT, LV) from policies/data/security_classes.json.</summary>
public sealed record SecurityClassification
{
    public required string Country { get; init; }
    public required string Class { get; init; }
}

public sealed record ContentTerms
{
    public required Modality Modality { get; init; }
    [FreeText] public IReadOnlyList<string> Preprocessing { get; init; } = [];
    [FreeText] public IReadOnlyList<string> KnownBiases { get; init; } = [];
    /// <summary>
    /// What was done to keep illegal content (CSAM, terrorist content, ...) out of the data: hash matching, classifiers,
    /// block lists. Section 3.2 of a general-purpose model's training-content summary (AI Act Art. 53(1)(d)).
    /// </summary>
    [FreeText] public IReadOnlyList<string> IllegalContentRemoval { get; init; } = [];
}

public sealed record LineageTerms
{
    public IReadOnlyList<Guid> DerivedFrom { get; init; } = [];
}

public sealed record UseTerms
{
    [FreeText] public string? IntendedUse { get; init; }
    /// <summary>Training-job purposes (`research`, `commercial`, `bias-testing`, ...): a token no job can have would refuse every job.</summary>
    public IReadOnlyList<string> PermittedPurposes { get; init; } = [];
    public DateOnly? Expires { get; init; }
    /// <summary>The public-sector holder's published re-use conditions (DGA Art. 5), when it has any.</summary>
    public ReuseConditions? ReuseConditions { get; init; }
}

/// <summary>
/// The conditions a public-sector body publishes for re-use of protected data (DGA Art. 5): the broker
/// records their reference and the parts a policy can check, and the job is bound to follow the rest.
/// </summary>
public sealed record ReuseConditions
{
    /// <summary>The published conditions, a document id or URI (no spaces), e.g. `urn:lv-nvd:reuse:2025-01`.</summary>
    public required string Reference { get; init; }
    /// <summary>Purposes the conditions allow; empty means any.</summary>
    public IReadOnlyList<string> PermittedPurposes { get; init; } = [];
    /// <summary>Processing only in a secure processing environment (DGA Art. 5(3)).</summary>
    public bool SecureProcessingEnvironment { get; init; }
    /// <summary>ISO 3166-1 alpha-2 countries where processing is allowed; empty means any.</summary>
    public IReadOnlyList<string> AllowedCountries { get; init; } = [];
}

/// <summary>References to assessments kept by the owner; the broker records that they exist.</summary>
public sealed record EvidenceTerms
{
    public EvidenceReference? Dpia { get; init; }
    public EvidenceReference? Art9Exception { get; init; }
    public EvidenceReference? PurposeCompatibility { get; init; }
    public EvidenceReference? ChapterVSafeguard { get; init; }
    public EvidenceReference? TdmOptOutCheck { get; init; }
    public EvidenceReference? DataPermit { get; init; }
    /// <summary>A licence from a rights holder that reserved TDM (rule 4).</summary>
    public EvidenceReference? PublisherLicence { get; init; }
}

public sealed record EvidenceReference
{
    /// <summary>A document id or URI in the owner's records (no spaces), e.g. `urn:mc:dpia:2025-014`.</summary>
    public required string Reference { get; init; }
    public DateOnly? IssuedOn { get; init; }
}
