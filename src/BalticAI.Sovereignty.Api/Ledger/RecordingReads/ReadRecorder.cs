using BalticAI.Sovereignty.Api.Decisions.Recording;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;

namespace BalticAI.Sovereignty.Api.Ledger.RecordingReads;

/// <summary>
/// Records reads through the group-commit writer the decisions use: concurrent reads share one
/// transaction, and a read waits only for its batch's commit (a few milliseconds). Each record is a
/// stream of its own, so nodes and batches never contend for a stream version.
/// </summary>
public sealed class ReadRecorder(GroupCommitWriter writer, TimeProvider clock)
{
    public const int MaxQueryLength = 2000;

    /// <summary>Auditors and regulators are recorded; the other roles read their own business.</summary>
    public static bool IsRecorded(Caller caller) => caller.IsInRole(Roles.Auditor) || caller.IsInRole(Roles.Regulator);

    public Task RecordAsync(Caller caller, HttpContext http, int status)
    {
        var route = (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? http.Request.Path.Value ?? "";
        var resources = http.Request.RouteValues
            .Where(v => v.Value is not null)
            .ToDictionary(v => v.Key, v => Convert.ToString(v.Value, System.Globalization.CultureInfo.InvariantCulture) ?? "", StringComparer.Ordinal);
        var query = http.Request.QueryString.HasValue ? http.Request.QueryString.Value : null;
        if (query is { Length: > MaxQueryLength })
        {
            query = query[..MaxQueryLength];
        }
        var recorded = new LedgerReadRecorded(
            route,
            http.Request.Path.Value ?? "",
            resources,
            query,
            caller.IsInRole(Roles.Auditor) ? Roles.Auditor : Roles.Regulator,
            status,
            clock.GetUtcNow(),
            caller.Country == TenantMap.EuCountry ? [] : [caller.Country]);
        // Not the request's token: a read that was answered is recorded even if the reader hung up.
        return writer.CommitAsync(caller.Actor, [new StreamStart(Guid.NewGuid(), null, [recorded])], null, CancellationToken.None);
    }
}
