using System.Text.Json;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Feeds.Envelopes;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Ledger.RecordingReads;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Primitives;

namespace BalticAI.Sovereignty.Api.Ledger.QueryingEvents;

public sealed record LedgerEventItem(
    long? Index, long Sequence, Guid EventId, Guid Stream, string Type, DateTimeOffset Time,
    IReadOnlyList<string> Countries, Actor? Actor, JsonNode? Data);

/// <summary>A page of events; <see cref="Next"/> is the link to the following page, null on the last.</summary>
public sealed record LedgerEventPage(IReadOnlyList<LedgerEventItem> Items, string? Next);

/// <summary>
/// The ledger's events for auditors and regulators, filtered through the event index. A regulator
/// sees the events that concern its country (as its feed does); the EU AI Office and auditors see all.
/// Data are facts only: free text stays in the broker, as in the feeds. The index trails commits by
/// the async daemon's delay (about half a second), so a just-recorded event may appear a moment later.
/// </summary>
public static class QueryEventsEndpoint
{
    public static IEndpointRouteBuilder MapQueryEvents(this IEndpointRouteBuilder app)
    {
        app.MapGet("/ledger/events", HandleAsync)
            .RequireAuthorization(policy => policy.RequireRole(Roles.Auditor, Roles.Regulator))
            .RecordsReads()
            .WithName("QueryLedgerEvents")
            .WithTags("Ledger")
            .WithSummary("Events filtered by country, dataset, job, model, type and time, in ledger order, with cursor pagination")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    private static async Task<Results<Ok<LedgerEventPage>, ProblemHttpResult>> HandleAsync(
        HttpContext http, Caller caller, LedgerEventReader reader, IQuerySession session, CancellationToken ct)
    {
        var (filter, errors) = LedgerEventFilter.Parse(http.Request.Query);
        if (filter is null)
        {
            return TypedResults.Problem(
                title: "Invalid filter",
                detail: $"Invalid query parameter(s): {string.Join(", ", errors!.Keys)}. See `errors`.",
                statusCode: StatusCodes.Status400BadRequest,
                extensions: new Dictionary<string, object?> { ["errors"] = errors });
        }
        var rows = await reader.ReadAsync(filter, ScopeOf(caller), ct);
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
        var next = rows.Count > filter.Limit ? NextLink(http.Request, page[^1].Sequence) : null;
        return TypedResults.Ok(new LedgerEventPage(items, next));
    }

    /// <summary>The country a caller is confined to, or null when it reads every country.</summary>
    private static string? ScopeOf(Caller caller) =>
        caller.IsInRole(Roles.Auditor) || caller.ReadsAllCountries ? null : caller.Country;

    private static string NextLink(HttpRequest request, long after)
    {
        var query = request.Query
            .Where(p => p.Key != "cursor")
            .Append(new KeyValuePair<string, StringValues>("cursor", LedgerEventFilter.Cursor(after)))
            .SelectMany(p => p.Value.Select(v => new KeyValuePair<string, string?>(p.Key, v)));
        return request.PathBase + request.Path + QueryString.Create(query);
    }
}
