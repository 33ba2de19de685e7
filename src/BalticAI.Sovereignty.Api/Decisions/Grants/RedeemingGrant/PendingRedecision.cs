using BalticAI.Sovereignty.Api.Datasets;
using BalticAI.Sovereignty.Api.Decisions.Grants.Revoking;
using BalticAI.Sovereignty.Api.Infrastructure.Telemetry;
using BalticAI.Sovereignty.Api.Ledger.Tree;
using BalticAI.Sovereignty.Api.Policies.Lifecycle;
using BalticAI.Sovereignty.Api.Sites;
using Marten;
using Marten.Events;
using Npgsql;

namespace BalticAI.Sovereignty.Api.Decisions.Grants.RedeemingGrant;

/// <summary>
/// A grant decided on a dataset's terms or a site's facts that were amended since, or under a bundle another activation
/// replaced, stands only as the grant revoker decides it again on the amended ones or under the active bundle. Until the
/// revoker's subscription has passed the latest such amendment or activation and the grant's issue, nobody has: a
/// release then decides the grant itself (<see cref="StandsAsync"/>), and waits (503) only when it would not stand,
/// rather than move bytes on terms or a policy that may no longer allow it, until the revoker records its revocation.
/// A withdrawal or restriction needs no wait: its own commit already refuses releases.
/// </summary>
public sealed class PendingRedecision(LedgerStore ledger, IDocumentStore store, PolicyLifecycle lifecycle, GrantRedecision redecision)
{
    /// <summary>How long a release waits: the revoker follows the ledger within about the daemon's polling delay.</summary>
    public const int RetryAfterSeconds = 1;

    private readonly string _sql = $"""
        select coalesce((select last_seq_id from {ledger.Table("mt_event_progression")} where name = $1), 0)
            < (select coalesce(max(seq_id), 0) from {ledger.Table("mt_events")}
               where (stream_id = $2 and type = $3) or (stream_id = $4 and type = $5) or (stream_id = $6 and version = 1)
                  or (stream_id = $7 and type = $8))
        """;

    private readonly string _termsAmended = ((EventGraph)store.Options.Events).EventMappingFor(typeof(DatasetTermsAmended)).EventTypeName;
    private readonly string _siteAmended = ((EventGraph)store.Options.Events).EventMappingFor(typeof(ComputeSiteAmended)).EventTypeName;
    private readonly string _activated = ((EventGraph)store.Options.Events).EventMappingFor(typeof(PolicyBundleActivated)).EventTypeName;

    /// <summary>
    /// Pure: whether the grant's decision read terms or site facts that an amendment has changed since, or was taken under
    /// another bundle than the active one (<paramref name="activeDigest"/>).
    /// </summary>
    public static bool DecidedOnOlderFacts(Grant grant, DatasetView? dataset, ComputeSite? site, string? activeDigest) =>
        GrantRevoker.ReadBeforeTermsAmendment(grant.DatasetRevision, dataset) || GrantRevoker.ReadBeforeWithdrawal(grant.SiteVersion, site)
        || GrantRevoker.DecidedUnderAnotherBundle(grant, activeDigest);

    /// <summary>Whether the revoker has yet to pass the grant's issue, the latest amendment of its dataset's terms or its site, or the latest activation.</summary>
    public async Task<bool> IsPendingAsync(Grant grant, CancellationToken ct)
    {
        await using var command = ledger.DataSource.CreateCommand(_sql);
        command.Parameters.Add(new NpgsqlParameter { Value = GrantRevoker.SubscriptionName + ":All" });
        command.Parameters.Add(new NpgsqlParameter { Value = grant.DatasetId });
        command.Parameters.Add(new NpgsqlParameter { Value = _termsAmended });
        command.Parameters.Add(new NpgsqlParameter { Value = grant.SiteId });
        command.Parameters.Add(new NpgsqlParameter { Value = _siteAmended });
        command.Parameters.Add(new NpgsqlParameter { Value = grant.Id });
        command.Parameters.Add(new NpgsqlParameter { Value = PolicyLifecycle.StreamId });
        command.Parameters.Add(new NpgsqlParameter { Value = _activated });
        return (bool)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>
    /// Whether the grant's recorded decision, taken again under the active bundle (<paramref name="activeDigest"/>) on its
    /// site and dataset as they stand, still gives it as granted: the release is then one those facts and that policy
    /// allow now, whatever the revoker later finds. False when no answer can be had (no active bundle, the decision or
    /// site missing).
    /// </summary>
    public async Task<bool> StandsAsync(IQuerySession session, Grant grant, Dataset dataset, ComputeSite? site, string? activeDigest, CancellationToken ct)
    {
        if (site is null || activeDigest is null || await lifecycle.FindAsync(activeDigest, ct) is not { } bundle)
        {
            return false;
        }
        // A decision is the only event of its own stream, whose id is the decision's.
        var decided = (await session.Events.FetchStreamAsync(grant.DecisionId, token: ct)).Select(e => e.Data).OfType<AccessDecided>().FirstOrDefault();
        return decided is not null
            && GrantRevoker.Stands(await redecision.TakeAgainAsync(bundle, decided, site, dataset, EvaluationPurpose.ReleaseRedecision, ct), grant.Obligations);
    }
}
