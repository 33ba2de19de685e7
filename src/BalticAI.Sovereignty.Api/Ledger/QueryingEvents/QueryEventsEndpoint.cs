using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Infrastructure.Validation;
using BalticAI.Sovereignty.Api.Ledger.RecordingReads;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;

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
            .WithLedgerEventQuery(LedgerEventFilter.Parameters)
            .WithName("QueryLedgerEvents")
            .WithTags("Ledger")
            .WithSummary("Events filtered by country, dataset, job, model, type and time, in ledger order, with cursor pagination");
        return app;
    }

    private static async Task<Results<Ok<LedgerEventPage>, ProblemHttpResult>> HandleAsync(
        HttpContext http, Caller caller, LedgerEventReader reader, IQuerySession session, IDocumentStore store, CancellationToken ct)
    {
        var errors = new FieldErrors();
        // A type this broker does not record would answer an empty page, which reads as "no such events".
        if (LedgerEventFilter.Parse(http.Request.Query, errors, listed: LedgerEventIndexer.KnownTypes(store)) is not { } filter)
        {
            return LedgerEventPages.Invalid(errors);
        }
        return TypedResults.Ok(await LedgerEventPages.ReadAsync(http.Request, filter, ScopeOf(caller), reader, session, ct));
    }

    /// <summary>The country a caller is confined to, or null when it reads every country.</summary>
    private static string? ScopeOf(Caller caller) =>
        caller.IsInRole(Roles.Auditor) || caller.ReadsAllCountries ? null : caller.Country;
}
