namespace BalticAI.Sovereignty.Api.Ledger.RecordingReads;

/// <summary>
/// An auditor or regulator read the ledger: which route, which resources (route values), which query,
/// in which role, with what outcome. Who read is in the actor headers (organisation, pseudonym). The
/// event concerns the reader's country, so that country's regulator sees who looked (the EU feed sees all).
/// </summary>
public sealed record LedgerReadRecorded(
    string Route,
    string Path,
    IReadOnlyDictionary<string, string> Resources,
    string? Query,
    string Role,
    int Status,
    DateTimeOffset ReadAt,
    IReadOnlyList<string> Countries) : ILedgerEvent
{
    IReadOnlyCollection<string> ILedgerEvent.Countries => Countries;
}
