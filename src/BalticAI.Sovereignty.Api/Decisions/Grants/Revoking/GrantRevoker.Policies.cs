using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Decisions.RequestingAccess;
using BalticAI.Sovereignty.Api.Infrastructure.Telemetry;
using BalticAI.Sovereignty.Api.Ledger;
using BalticAI.Sovereignty.Api.Policies.Bundles;
using BalticAI.Sovereignty.Api.Policies.Lifecycle;
using JasperFx.Events;
using Marten;

namespace BalticAI.Sovereignty.Api.Decisions.Grants.Revoking;

/// <summary>
/// Continuous authorization on the policy: a PolicyAdmin who activates a bundle that no longer allows what active grants
/// allow (an adequacy decision struck down, a purpose no longer compatible) expects those grants to end, as they end
/// when a site loses a fact; `POST /policies/impact` showed beforehand which would. Each active grant decided under
/// another bundle is decided again under the activated one, on its decision's recorded input with its site and dataset
/// as they stand, and revoked when that denies or binds other obligations.
/// </summary>
public sealed partial class GrantRevoker
{
    /// <summary>
    /// The reason of a grant whose re-decision under an activated bundle denies; followed by `:` and the rules that now
    /// deny (<see cref="ReasonToRevokeOnPolicy"/>), alone when the grant could not be decided again.
    /// </summary>
    public const string PolicyChanged = "policy-changed";

    /// <summary>The reason of a grant whose re-decision under an activated bundle still allows, with other obligations.</summary>
    public const string PolicyObligationsChanged = "policy-obligations-changed";

    /// <summary>
    /// How many active grants are decided again and revoked in one transaction: a broker with a hundred thousand grants
    /// neither holds them all in memory nor writes their revocations in one commit. A crash between two leaves the
    /// activation to be read again, and the grants revoked already are skipped.
    /// </summary>
    private const int PolicyRedecisionChunk = 500;

    private static readonly RedecisionReasons OnPolicy = new(PolicyChanged, PolicyObligationsChanged);

    /// <summary>Pure: why a grant re-decided under an activated bundle must go, or null (<see cref="ReasonToRevokeRedecided"/>).</summary>
    public static string? ReasonToRevokeOnPolicy(PolicyVerdict? redecided, IReadOnlyList<JsonObject> recordedObligations) =>
        ReasonToRevokeRedecided(redecided, recordedObligations, OnPolicy);

    /// <summary>
    /// Pure: whether a grant was decided under another bundle than the active one (<paramref name="activeDigest"/>), so
    /// an activation must decide it again. A grant recorded before its bundle was kept (null) is; with no bundle recorded
    /// as active, none is.
    /// </summary>
    public static bool DecidedUnderAnotherBundle(Grant grant, string? activeDigest) =>
        activeDigest is not null && !string.Equals(grant.BundleDigest, activeDigest, StringComparison.Ordinal);

    /// <summary>How many active, unexpired grants were decided under another bundle than <paramref name="digest"/> (or before bundles were kept).</summary>
    public static async Task<int> CountDecidedUnderOtherAsync(IDocumentStore store, string digest, DateTimeOffset now, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        return await session.Query<Grant>()
            .Where(g => g.ExpiresAt > now && g.Status == GrantStatus.Active && (g.BundleDigest == null || g.BundleDigest != digest))
            .CountAsync(ct);
    }

    private async Task RevokeOnActivationAsync(IEvent @event, PolicyBundleActivated activated, CancellationToken ct)
    {
        var store = _services.GetRequiredService<IDocumentStore>();
        await using var session = store.QuerySession();
        if (!await InForceAsync(session, activated, ct))
        {
            return;
        }
        PolicyBundle? bundle = null;
        var actor = @event.ReadActor() ?? Policies.PolicySetup.BrokerActor;
        await foreach (var (grants, now) in DecidedUnderAnotherAsync(session, activated.Digest, _clock, PolicyRedecisionChunk, ct))
        {
            // After the load: a grant decided under a bundle activated since was recorded after that activation.
            if (!await InForceAsync(session, activated, ct))
            {
                return;
            }
            bundle ??= await _services.GetRequiredService<PolicyLifecycle>().FindAsync(activated.Digest, ct)
                ?? new PolicyBundle(activated.Revision, activated.Modules, activated.Data);
            var revocations = await RedecideAsync(session, grants, bundle, await RedecisionFacts.CurrentAsync(session, grants, ct), OnPolicy, EvaluationPurpose.PolicyRedecision, ct);
            if (revocations.Count > 0)
            {
                await RevokeAsync(store, revocations, actor, now, ct);
            }
        }
    }

    /// <summary>
    /// The active, unexpired grants decided under another bundle than <paramref name="digest"/>, a chunk at a time, each
    /// chunk with the time it was judged unexpired at: an activation decides these again (and a preview of it). Ids only
    /// are read first, through the index on expiry (a grant lives at most Decisions:GrantLifetime, whereas expired grants
    /// accumulate), so a hundred thousand grants are never held at once.
    /// </summary>
    private static async IAsyncEnumerable<(List<Grant> Grants, DateTimeOffset Now)> DecidedUnderAnotherAsync(IQuerySession session, string digest,
        TimeProvider clock, int chunkSize, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var since = clock.GetUtcNow();
        var ids = await session.Query<Grant>().Where(g => g.ExpiresAt > since && g.Status == GrantStatus.Active).Select(g => g.Id).ToListAsync(ct);
        foreach (var chunk in ids.Chunk(chunkSize))
        {
            var now = clock.GetUtcNow();
            var grants = (await session.LoadManyAsync<Grant>(ct, chunk))
                .Where(g => g.Status == GrantStatus.Active && !g.IsExpired(now) && DecidedUnderAnotherBundle(g, digest))
                .ToList();
            yield return (grants, now);
        }
    }

    /// <summary>
    /// Whether <paramref name="activated"/> is still the bundle in force. Once another is activated, its own activation,
    /// read in turn, decides every grant again under it; judged under this one, a revoker behind the ledger would revoke
    /// grants decided under the bundle in force.
    /// </summary>
    private static async Task<bool> InForceAsync(IQuerySession session, PolicyBundleActivated activated, CancellationToken ct) =>
        (await session.LoadAsync<ActivePolicyPointer>(ActivePolicyPointer.SingletonId, ct))?.Digest == activated.Digest;
}
