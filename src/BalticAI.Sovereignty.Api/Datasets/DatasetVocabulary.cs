using System.Text.Json;
using System.Text.Json.Serialization;

namespace BalticAI.Sovereignty.Api.Datasets;

// Closed sets fixed by law or by the domain are enums written as kebab-case strings (in the API and in
// stored events alike, whatever the serializer's enum default). Open sets (countries, security
// classes, sites, licences) are reference data: see ReferenceData/.

/// <summary>Where the data come from (GPAI training summary template categories).</summary>
[JsonConverter(typeof(KebabCaseEnumConverter<SourceType>))]
public enum SourceType { Public, Licensed, Private, Crawled, User, Synthetic }

/// <summary>Restrictions carried by the licence (they propagate to models, rule 6).</summary>
[JsonConverter(typeof(KebabCaseEnumConverter<LicenceRestriction>))]
public enum LicenceRestriction { Nc, Nd, ResearchOnly, ShareAlike }

/// <summary>Why the owner may use the content for training at all.</summary>
[JsonConverter(typeof(KebabCaseEnumConverter<CopyrightBasis>))]
public enum CopyrightBasis
{
    /// <summary>The owner holds the rights.</summary>
    Owned,
    /// <summary>A licence from the rights holder.</summary>
    Licensed,
    PublicDomain,
    /// <summary>DSM Directive Art. 3 (Polish Art. 26^2): research organisations, research only.</summary>
    TdmResearchException,
    /// <summary>DSM Directive Art. 4 (Polish Art. 26^3): only where no opt-out was expressed.</summary>
    TdmGeneralException,
    /// <summary>Re-use of public-sector information (Open Data Directive, DGA Art. 5).</summary>
    PublicSectorReuse,
}

/// <summary>GDPR Art. 9(1) special categories of personal data.</summary>
[JsonConverter(typeof(KebabCaseEnumConverter<SpecialCategory>))]
public enum SpecialCategory
{
    RacialOrEthnicOrigin,
    PoliticalOpinions,
    ReligiousOrPhilosophicalBeliefs,
    TradeUnionMembership,
    Genetic,
    Biometric,
    Health,
    SexLifeOrSexualOrientation,
}

/// <summary>Why public-sector data are protected (Data Governance Act Art. 3(1)): their re-use follows the holder's conditions (Art. 5).</summary>
[JsonConverter(typeof(KebabCaseEnumConverter<ProtectedCategory>))]
public enum ProtectedCategory { CommercialConfidentiality, StatisticalConfidentiality, ThirdPartyIp, PersonalData }

/// <summary>GDPR Art. 6(1)(a)-(f), in that order.</summary>
[JsonConverter(typeof(KebabCaseEnumConverter<LawfulBasis>))]
public enum LawfulBasis { Consent, Contract, LegalObligation, VitalInterests, PublicTask, LegitimateInterests }

/// <summary>Where copies of the data may be kept (rule 8; thresholds per class are policy data).</summary>
[JsonConverter(typeof(KebabCaseEnumConverter<Residency>))]
public enum Residency { None, Eea, EuEeaNato, National }

[JsonConverter(typeof(KebabCaseEnumConverter<Modality>))]
public enum Modality { Text, Image, Audio, Video, Tabular, Code, TimeSeries, Multimodal }

[JsonConverter(typeof(KebabCaseEnumConverter<DatasetStatus>))]
public enum DatasetStatus { Active, Restricted, Withdrawn }

/// <summary>Why use is paused: GDPR Art. 18(1)(a)-(d) grounds, or the owner's own review.</summary>
[JsonConverter(typeof(KebabCaseEnumConverter<RestrictionReason>))]
public enum RestrictionReason { AccuracyContested, UnlawfulProcessing, LegalClaims, ObjectionPending, OwnerReview, SecurityIncident }

[JsonConverter(typeof(KebabCaseEnumConverter<RestrictionLiftReason>))]
public enum RestrictionLiftReason { AccuracyVerified, ObjectionRejected, ReviewCompleted, IncidentResolved, ClaimsSettled }

/// <summary>Why a dataset is withdrawn for good (rule 11 flags everything derived from it).</summary>
[JsonConverter(typeof(KebabCaseEnumConverter<WithdrawalReason>))]
public enum WithdrawalReason { ConsentWithdrawn, ErasureRequest, ObjectionUpheld, LicenceEnded, UnlawfulProcessing, OwnerDecision }

/// <summary>Strings only, in kebab-case; numbers are refused so a client cannot send an index.</summary>
public sealed class KebabCaseEnumConverter<TEnum>() : JsonStringEnumConverter<TEnum>(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false)
    where TEnum : struct, Enum;
