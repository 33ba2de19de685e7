using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Ledger.QueryingEvents;
using BalticAI.Sovereignty.Api.Ledger.RecordingReads;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BalticAI.Sovereignty.Api.Datasets.ListingDecisions;

/// <summary>
/// Who asked for a dataset, what was decided and why, and which bytes then moved: its access decisions, the requests
/// refused before any decision (a closed job, a suspended site, a withdrawn version), and the lifecycle of their
/// grants, from the ledger, for the owner organisation's data owners, auditors and the regulators whose country the
/// dataset or one of its decisions concerns. Another organisation's data owner learns nothing of its requests.
/// </summary>
public static class ListDecisions
{
    /// <summary>Recorded aliases; a grant's revocation on its job's stream repeats the grant's own and is left out.</summary>
    public static readonly IReadOnlyList<string> Types = ["access_decided", "access_refused", "grant_issued", "grant_redeemed", "grant_revoked"];

    public static IEndpointRouteBuilder MapListDecisions(this IEndpointRouteBuilder app)
    {
        app.MapGet("/datasets/{id:guid}/decisions", HandleAsync)
            .RequireAuthorization(policy => policy.RequireRole(Roles.DataOwner, Roles.Auditor, Roles.Regulator))
            .RecordsReads()
            .WithLedgerEventQuery(LedgerEventPages.ListingParameters)
            .WithName("ListDatasetDecisions")
            .WithTags("Datasets")
            .WithSummary("A dataset's access decisions, refused requests and their grants' issue, releases and revocation, in ledger order, with cursor pagination")
            .WithDescription("Query: type (AccessDecided, AccessRefused, GrantIssued, GrantRedeemed, GrantRevoked; comma-separated), from, to, cursor, limit, as for /ledger/events. "
                + "The owner organisation's data owners, auditors, and regulators whose country the dataset or one of its decisions concerns (their own country's events).")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<Results<Ok<LedgerEventPage>, ProblemHttpResult>> HandleAsync(
        Guid id, HttpContext http, Caller caller, LedgerEventReader reader, IQuerySession session, CancellationToken ct)
    {
        var view = await session.LoadAsync<DatasetView>(id, ct);
        if (view is null || (!DatasetReadAccess.CanRead(caller, view) && !await AnyConcernsAsync(id, caller.Country, reader, ct)))
        {
            return DatasetProblems.NotFound(id);
        }
        var allSeen = caller.IsInRole(Roles.Auditor) || (caller.IsInRole(Roles.Regulator) && caller.ReadsAllCountries);
        var owner = caller.IsInRole(Roles.DataOwner) && view.Owner == caller.Organisation;
        if (!allSeen && !owner && !caller.IsInRole(Roles.Regulator))
        {
            return TypedResults.Problem(title: "Not the owner",
                detail: "Only the owner organisation's data owners, auditors and regulators read the decisions on this dataset.", statusCode: StatusCodes.Status403Forbidden);
        }
        // The owner and auditors see every decision on the dataset; a regulator those its feed carries.
        var scope = allSeen || owner ? null : caller.Country;
        return await LedgerEventPages.ReadListingAsync(http.Request, Types, filter => filter with { Dataset = id }, scope, reader, session, ct);
    }

    /// <summary>
    /// Whether a decision on the dataset concerns <paramref name="country"/>: one at a site, by an operator or for a
    /// recipient there reaches that regulator's feed (and /ledger/events) though the dataset is another country's.
    /// Without one the dataset stays absent to it, so ids cannot be probed.
    /// </summary>
    private static async Task<bool> AnyConcernsAsync(Guid id, string country, LedgerEventReader reader, CancellationToken ct) =>
        (await reader.ReadAsync(new LedgerEventFilter(null, id, null, null, Types, null, null, 0, 1), country, ct)).Count > 0;
}
