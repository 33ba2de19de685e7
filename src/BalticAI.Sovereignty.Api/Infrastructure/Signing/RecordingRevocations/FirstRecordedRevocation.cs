using BalticAI.Sovereignty.Security;
using Marten;

namespace BalticAI.Sovereignty.Api.Infrastructure.Signing.RecordingRevocations;

/// <summary>
/// A key store dates a revocation by the version's last update (Key Vault's `updated`), which any later change to the
/// version moves: a tag set in the portal a week after a compromise would move the revocation a week later, and every
/// envelope or grant the thief signed in that week would pass as signed before it. So the revocation list gives each
/// key the earliest time known: the ledger's <see cref="BrokerSigningKeyRevoked"/>, recorded when the broker first saw
/// it, unless the store's own date is earlier.
/// </summary>
public static class FirstRecordedRevocation
{
    public static async Task<IReadOnlyList<SigningKeyRevoked>> ApplyAsync(IQuerySession session, IReadOnlyList<SigningKeyRevoked> revoked, CancellationToken ct)
    {
        if (revoked.Count == 0)
        {
            return revoked;
        }

        // Revocations are rare (a handful in a key's life), so all of them are read.
        var recorded = (await session.Events.QueryRawEventDataOnly<BrokerSigningKeyRevoked>().ToListAsync(ct))
            .GroupBy(r => r.Kid, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Min(r => r.RevokedAt), StringComparer.Ordinal);
        return revoked.Select(r => recorded.TryGetValue(r.KeyId, out var first) && first < r.RevokedAt ? r with { RevokedAt = first } : r).ToList();
    }
}
