using System.Text.Json;
using BalticAI.Sovereignty.Api.Feeds.Envelopes;
using BalticAI.Sovereignty.Api.Infrastructure.Validation;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Primitives;

namespace BalticAI.Sovereignty.Api.Ledger.QueryingEvents;

/// <summary>One page of indexed events with their facts, shared by every route that lists ledger events.</summary>
public static class LedgerEventPages
{
    /// <summary>A page of <paramref name="filter"/>'s events that concern <c>scope</c>, the country the caller is confined to (null: every country).</summary>
    public static async Task<LedgerEventPage> ReadAsync(HttpRequest request, LedgerEventFilter filter, string? scope,
        LedgerEventReader reader, IQuerySession session, CancellationToken ct)
    {
        var rows = await reader.ReadAsync(filter, scope, ct);
        var page = rows.Take(filter.Limit).ToList();
        var sequences = page.Select(r => r.Sequence).ToArray();
        var events = sequences.Length == 0
            ? []
            : (await session.Events.QueryAllRawEvents().Where(e => sequences.Contains(e.Sequence)).ToListAsync(ct)).ToDictionary(e => e.Sequence);
        var items = page.Select(r =>
        {
            var stored = events.GetValueOrDefault(r.Sequence);
            return new LedgerEventItem(r.Index, r.Sequence, r.EventId, r.Stream, r.Type, r.Time, r.Countries, stored?.ReadActor(),
                stored is null ? null : JsonSerializer.SerializeToNode(stored.Data, stored.Data.GetType(), FactsOnly.Options));
        }).ToList();
        var next = rows.Count > filter.Limit ? NextLink(request, page[^1].Sequence) : null;
        return new LedgerEventPage(items, next);
    }

    /// <summary>The query parameters of a record's own listing (a dataset's or a job's decisions): those of /ledger/events but the record's.</summary>
    public static readonly IReadOnlyList<string> ListingParameters = ["type", "from", "to", "cursor", "limit"];

    /// <summary>
    /// A page of one record's events of <paramref name="types"/> (every one of them when the query names none), the query read
    /// as for /ledger/events and <paramref name="narrow"/> confining it to the record; a type outside the list is a 400.
    /// </summary>
    public static async Task<Results<Ok<LedgerEventPage>, ProblemHttpResult>> ReadListingAsync(HttpRequest request, IReadOnlyList<string> types,
        Func<LedgerEventFilter, LedgerEventFilter> narrow, string? scope, LedgerEventReader reader, IQuerySession session, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (LedgerEventFilter.Parse(request.Query, errors, ListingParameters, types) is not { } filter)
        {
            return Invalid(errors);
        }
        filter = narrow(filter with { Types = filter.Types.Count > 0 ? filter.Types : types });
        return TypedResults.Ok(await ReadAsync(request, filter, scope, reader, session, ct));
    }

    /// <summary>Answered as every other route answers a bad query (<see cref="PageQuery"/>).</summary>
    public static ProblemHttpResult Invalid(FieldErrors errors) => errors.ToQueryProblem();

    private static string NextLink(HttpRequest request, long after)
    {
        var query = request.Query
            .Where(p => p.Key != "cursor")
            .Append(new KeyValuePair<string, StringValues>("cursor", LedgerEventFilter.Cursor(after)))
            .SelectMany(p => p.Value.Select(v => new KeyValuePair<string, string?>(p.Key, v)));
        return request.PathBase + request.Path + QueryString.Create(query);
    }
}
