using BalticAI.Sovereignty.Api.Infrastructure.Concurrency;
using BalticAI.Sovereignty.Api.Infrastructure.Idempotency;
using JasperFx.Events;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BalticAI.Sovereignty.Api.Sites;

/// <summary>What the writes to an existing site share (an amendment, a suspension, its lifting): If-Match, the read at its version and the save.</summary>
public static class SiteWrites
{
    /// <summary>The site version If-Match names, or 428 without one, 400 when it is not one strong ETag.</summary>
    public static (long Expected, ProblemHttpResult? Problem) IfMatch(HttpRequest request) => ETags.ReadIfMatch(request) switch
    {
        (ETags.IfMatchState.Missing, _) => (0, PreconditionProblems.Required("site", "/sites/{id}")),
        (ETags.IfMatchState.Malformed, _) => (0, PreconditionProblems.Malformed()),
        var (_, version) => (version, null),
    };

    /// <summary>
    /// The site read for writing, or 404, or 412 with the current ETag when it is no longer at <paramref name="expected"/>.
    /// <paramref name="exclusive"/> locks its stream row from the read to the commit, for a write that stops releases.
    /// </summary>
    public static async Task<(IEventStream<ComputeSite>? Stream, ProblemHttpResult? Problem)> ReadAsync(
        IDocumentSession session, HttpContext http, Guid id, long expected, bool exclusive = false)
    {
        var stream = exclusive
            ? await session.Events.FetchForExclusiveWriting<ComputeSite>(id, http.RequestAborted)
            : await session.Events.FetchForWriting<ComputeSite>(id, http.RequestAborted);
        if (stream.Aggregate is null)
        {
            return (null, SitesModule.NotFound(id));
        }
        var current = stream.CurrentVersion ?? 0;
        if (current != expected)
        {
            ETags.Set(http.Response, current);
            return (null, PreconditionProblems.Stale("site", current));
        }
        return (stream, null);
    }

    /// <summary>Commits with the answer (and its ETag, <paramref name="version"/>); 409 when another write to the site committed first.</summary>
    public static async Task<ProblemHttpResult?> SaveAsync(IDocumentSession session, HttpContext http, IResult answer, long version)
    {
        ETags.Set(http.Response, version);
        try
        {
            await session.SaveWithAnswerAsync(http, answer);
            return null;
        }
        catch (Exception e) when (ConcurrentWrites.Are(e))
        {
            http.Response.Headers.ETag = default;
            return PreconditionProblems.ConcurrentWrite("site");
        }
    }
}
