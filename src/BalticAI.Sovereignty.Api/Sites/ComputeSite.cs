using BalticAI.Sovereignty.Api.Ledger;

namespace BalticAI.Sovereignty.Api.Sites;

/// <summary>
/// A PolicyAdmin registered a compute site where training jobs may run. Residency rules decide on
/// these recorded facts, never on what a job says about itself.
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
    DateTimeOffset RegisteredAt) : ILedgerEvent
{
    /// <summary>A data embassy keeps another state's data: that state is concerned as much as the host.</summary>
    public IReadOnlyCollection<string> Countries => DataEmbassyFor is { } state && state != Country ? [Country, state] : [Country];
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
    DateTimeOffset RegisteredAt)
{
    public static ComputeSite Create(ComputeSiteRegistered e) =>
        new(e.SiteId, e.Code, e.Name, e.Country, e.Operator, e.Accreditations, e.SecurityClasses, e.DataEmbassyFor, e.RegisteredAt);
}
