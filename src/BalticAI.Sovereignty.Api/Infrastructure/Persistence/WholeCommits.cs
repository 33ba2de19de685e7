using Marten;

namespace BalticAI.Sovereignty.Api.Infrastructure.Persistence;

/// <summary>
/// How every write of the broker commits. A request that gave up (timeout, client gone) before the commit records
/// nothing; once the commit has begun, its outcome is the answer (cancelled during COMMIT, PostgreSQL may have
/// recorded the write that the caller is then told was not recorded).
/// </summary>
public static class WholeCommits
{
    public static async Task CommitAsync(this IDocumentSession session, CancellationToken ct)
    {
        // Marten takes the events' sequence numbers with a statement of its own before the batch that inserts them,
        // and outside any transaction unless one is open. The async daemon waits at a gap only while a transaction
        // that could fill it is alive; a write stalled between the two (a paused process, a starved thread) for longer
        // than the stale threshold was skipped, its acknowledged events kept out of the tree, the index and every
        // feed for good (StalledCommitTests). Npgsql sends BEGIN with the next statement: no round trip is added.
        await session.BeginTransactionAsync(ct);
        ct.ThrowIfCancellationRequested();
        await session.SaveChangesAsync(CancellationToken.None);
    }
}
