using BalticAI.Sovereignty.Api.Infrastructure.Concurrency;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BalticAI.Sovereignty.Api.Decisions.Grants;

/// <summary>
/// What the routes that write to one grant (a release, a revocation by hand) share: each attempt reads the grant for
/// writing, decides on it and commits; a commit another write to the grant beat is decided again on what that recorded.
/// </summary>
public static class GrantWrites
{
    /// <summary>Reads, decides and appends again this many times when the grant changed in between.</summary>
    public const int Attempts = 8;

    /// <summary>
    /// The answer of the first <paramref name="write"/> (given its attempt's number) that commits or refuses; after
    /// <see cref="Attempts"/> commits lost to other writes, 409 saying the grant kept changing during <paramref name="recording"/>.
    /// </summary>
    public static async Task<Results<TOk, ProblemHttpResult>> UntilCommittedAsync<TOk>(Guid id, string recording,
        Func<int, Task<Results<TOk, ProblemHttpResult>>> write, CancellationToken ct) where TOk : IResult
    {
        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            try
            {
                return await write(attempt);
            }
            catch (Exception e) when (ConcurrentWrites.Are(e))
            {
                // Jittered: writes that lost the same commit would otherwise all read again at once and collide again.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 1 + 10 * attempt)), ct);
            }
        }
        return TypedResults.Problem(title: "The grant is changing",
            detail: $"Grant {id} changed during each of {Attempts} attempts to record {recording}; nothing was recorded. Send it again.",
            statusCode: StatusCodes.Status409Conflict);
    }
}
