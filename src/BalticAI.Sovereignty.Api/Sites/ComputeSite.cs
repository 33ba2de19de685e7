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
    public IReadOnlyCollection<string> Countries => [Country];
}

/// <summary>The recorded facts of a compute site (inline snapshot of its stream).</summary>
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
    public static ComputeSite Create(ComputeSiteRegistered e) =>
        new(e.SiteId, e.Code, e.Name, e.Country, e.Operator, e.Accreditations, e.SecurityClasses, e.DataEmbassyFor, e.RegisteredAt, e.DpfCertified);
}
