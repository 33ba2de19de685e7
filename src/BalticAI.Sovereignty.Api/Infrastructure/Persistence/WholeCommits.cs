using Marten;

namespace BalticAI.Sovereignty.Api.Infrastructure.Persistence;

/// <summary>
/// Commits a request's write without letting the request cancel it midway. A request that gave up (timeout,
/// client gone) before the commit records nothing; once the commit has begun, its outcome is the answer. Cancelled
/// during COMMIT, PostgreSQL may have recorded the write that the caller is then told was not recorded.
/// </summary>
public static class WholeCommits
{
    public static Task CommitAsync(this IDocumentSession session, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        return session.SaveChangesAsync(CancellationToken.None);
    }
}
