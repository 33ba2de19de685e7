using System.Text.Json.Serialization;
using BalticAI.Sovereignty.Api.Datasets;
using BalticAI.Sovereignty.Api.Ledger;

namespace BalticAI.Sovereignty.Api.Sites;

/// <summary>
/// A PolicyAdmin registered a compute site where training jobs may run. Residency rules decide on
/// these recorded facts, never on what a job says about itself. DpfCertified came later: sites recorded
/// before it have no such member and load as false, the reading that keeps a US site's transfer rule closed.
/// </summary>
public sealed record ComputeSiteRegistered(
    Guid SiteId,
    string Code,
    string Name,
    string Country,
    string Operator,
    IReadOnlyList<string> Accreditations,
    IReadOnlyList<string> SecurityClasses,
    string? DataEmbassyFor,
    DateTimeOffset RegisteredAt,
    bool DpfCertified = false) : ILedgerEvent
{
    /// <summary>A data embassy keeps another state's data: that state is concerned as much as the host.</summary>
    public IReadOnlyCollection<string> Countries => ComputeSite.Concerned(Country, DataEmbassyFor);
}

/// <summary>
/// A PolicyAdmin amended a site's facts (an accreditation lapsed or was granted, a security class or the DPF
/// certification changed). The event carries the complete new facts, what changed and what was withdrawn:
/// grants decided on a withdrawn fact are revoked. Code, country and data-embassy state never change; a site
/// that moves is another site. SiteVersion is the version of the site's stream this event makes.
/// </summary>
public sealed record ComputeSiteAmended(
    Guid SiteId,
    string Country,
    string? DataEmbassyFor,
    string Name,
    string Operator,
    IReadOnlyList<string> Accreditations,
    IReadOnlyList<string> SecurityClasses,
    bool DpfCertified,
    IReadOnlyList<string> ChangedFields,
    IReadOnlyList<string> Withdrawn,
    long SiteVersion,
    DateTimeOffset AmendedAt) : ILedgerEvent
{
    public IReadOnlyCollection<string> Countries => ComputeSite.Concerned(Country, DataEmbassyFor);
}

/// <summary>Why a PolicyAdmin stops all data to a site until further notice.</summary>
[JsonConverter(typeof(KebabCaseEnumConverter<SuspensionReason>))]
public enum SuspensionReason { SecurityIncident, AccreditationReview, RegulatorOrder, Decommissioned }

/// <summary>
/// A PolicyAdmin suspended a site (a security incident, an accreditation under review, a regulator's order, the site
/// taken out of service): no data goes there, whatever its facts, until the suspension is lifted.
/// </summary>
public sealed record ComputeSiteSuspended(
    Guid SiteId,
    string Country,
    string? DataEmbassyFor,
    SuspensionReason Reason,
    [property: FreeText] string? Note,
    DateTimeOffset SuspendedAt) : ILedgerEvent
{
    public IReadOnlyCollection<string> Countries => ComputeSite.Concerned(Country, DataEmbassyFor);
}

/// <summary>A PolicyAdmin lifted a site's suspension: jobs there may ask again; grants revoked by it stay revoked.</summary>
public sealed record ComputeSiteSuspensionLifted(Guid SiteId, string Country, string? DataEmbassyFor, DateTimeOffset LiftedAt) : ILedgerEvent
{
    public IReadOnlyCollection<string> Countries => ComputeSite.Concerned(Country, DataEmbassyFor);
}

/// <summary>Why and since when a site is suspended.</summary>
public sealed record SiteSuspension(SuspensionReason Reason, string? Note, DateTimeOffset Since);

/// <summary>
/// The recorded facts of a compute site (inline snapshot of its stream). FactsWithdrawnInVersion is the
/// stream version of the last amendment that withdrew a fact: a grant decided on an older version of the site
/// may rest on it.
/// </summary>
public sealed record ComputeSite(
    Guid Id,
    string Code,
    string Name,
    string Country,
    string Operator,
    IReadOnlyList<string> Accreditations,
    IReadOnlyList<string> SecurityClasses,
    string? DataEmbassyFor,
    DateTimeOffset RegisteredAt,
    bool DpfCertified = false)
{
    /// <summary>The stream's version (Marten fills a member of this name): the site's ETag, and what a decision read.</summary>
    public long Version { get; init; }

    public long FactsWithdrawnInVersion { get; init; }

    /// <summary>Null while data may go to the site.</summary>
    public SiteSuspension? Suspension { get; init; }

    public ComputeSite Apply(ComputeSiteSuspended e) => this with { Suspension = new SiteSuspension(e.Reason, e.Note, e.SuspendedAt) };

    public ComputeSite Apply(ComputeSiteSuspensionLifted e) => this with { Suspension = null };

    public ComputeSite Apply(ComputeSiteAmended e) => this with
    {
        Name = e.Name,
        Operator = e.Operator,
        Accreditations = e.Accreditations,
        SecurityClasses = e.SecurityClasses,
        DpfCertified = e.DpfCertified,
        FactsWithdrawnInVersion = e.Withdrawn.Count > 0 ? e.SiteVersion : FactsWithdrawnInVersion,
    };

    /// <summary>A site's events concern its country and, for a data embassy, the state whose data it keeps.</summary>
    public static IReadOnlyCollection<string> Concerned(string country, string? dataEmbassyFor) =>
        dataEmbassyFor is { } state && state != country ? [country, state] : [country];

    public static ComputeSite Create(ComputeSiteRegistered e) =>
        new(e.SiteId, e.Code, e.Name, e.Country, e.Operator, e.Accreditations, e.SecurityClasses, e.DataEmbassyFor, e.RegisteredAt, e.DpfCertified);
}
