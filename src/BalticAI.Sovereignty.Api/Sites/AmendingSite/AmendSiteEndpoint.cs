using System.Text.Json;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Datasets.ReferenceData;
using BalticAI.Sovereignty.Api.Infrastructure.Concurrency;
using BalticAI.Sovereignty.Api.Infrastructure.Idempotency;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Infrastructure.Validation;
using BalticAI.Sovereignty.Api.Ledger;
using BalticAI.Sovereignty.Api.Sites.RegisteringSite;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BalticAI.Sovereignty.Api.Sites.AmendingSite;

/// <summary>
/// A PolicyAdmin amends a site's facts with a JSON Merge Patch (RFC 7396) of its registration: accreditations
/// lapse, security classes and DPF certifications change, and residency rules must decide on the facts as
/// they are now. The merged site must pass the registration's schema and checks. A fact withdrawn has
/// the active grants of jobs on the site decided again on the new facts (GrantRevoker), and those now denied revoked.
/// </summary>
public static class AmendSiteEndpoint
{
    private static readonly string[] Fixed = ["/code", "/country", "/dataEmbassyFor"];

    /// <summary>Pure: the amendment the merged registration makes, none when nothing changed, or the failing fields.</summary>
    public static (ComputeSiteAmended? Amended, FieldErrors Errors) Decide(ComputeSite site, RegisterSiteEndpoint.RegisterSite merged,
        IReadOnlyList<string> changed, DatasetReferenceData reference, DateTimeOffset now)
    {
        var errors = RegisterSiteEndpoint.Check(merged, reference, codeTaken: false);
        foreach (var pointer in changed.Intersect(Fixed))
        {
            errors.Add(pointer, "cannot change; a site in another place or of another state is another site: register it");
        }
        if (!errors.IsEmpty || changed.Count == 0)
        {
            return (null, errors);
        }
        var accreditations = RegisterSiteEndpoint.Normalised(merged.Accreditations);
        var classes = RegisterSiteEndpoint.Normalised(merged.SecurityClasses);
        var withdrawn = site.Accreditations.Except(accreditations).Select(a => "accreditations:" + a)
            .Concat(site.SecurityClasses.Except(classes).Select(c => "securityClasses:" + c))
            .Concat(site.DpfCertified && !merged.DpfCertified ? ["dpfCertified"] : Array.Empty<string>())
            .ToList();
        return (new ComputeSiteAmended(site.Id, site.Country, site.DataEmbassyFor, merged.Name, merged.Operator, accreditations, classes, merged.DpfCertified,
            changed, withdrawn, site.Version + 1, now), errors);
    }

    public static IEndpointRouteBuilder MapAmendSite(this IEndpointRouteBuilder app)
    {
        app.MapPatch("/sites/{id:guid}", HandleAsync)
            .RequireAuthorization(policy => policy.RequireRole(Roles.PolicyAdmin))
            .WithName("AmendSite")
            .WithTags("Sites")
            .WithSummary("Amend a compute site's facts with a JSON Merge Patch (application/merge-patch+json) (PolicyAdmin)")
            .WithDescription("RFC 7396 over the registration (schemas/compute-site.schema.json): name, operator, accreditations, securityClasses and dpfCertified may change; code, country and dataEmbassyFor may not (422). Requires If-Match (the site's ETag). A withdrawn accreditation, security class or DPF certification has the active grants of jobs on the site decided again under the bundle in force, and revokes those it no longer gives as granted.")
            .Accepts<JsonObject>(RequestBody.MergePatch)
            .Produces<ComputeSite>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);
        return app;
    }

    private static async Task<Results<Ok<ComputeSite>, ProblemHttpResult>> HandleAsync(
        Guid id, HttpContext http, Caller caller, JsonRequests requests, DatasetReferenceData reference, IDocumentSession session, TimeProvider clock)
    {
        var (expected, precondition) = SiteWrites.IfMatch(http.Request);
        if (precondition is not null)
        {
            return precondition;
        }
        var (patch, problem) = await RequestBody.ReadAsync(http.Request, RequestBody.MergePatch, http.RequestAborted);
        if (problem is not null)
        {
            return problem;
        }
        if (patch.ValueKind != JsonValueKind.Object)
        {
            return JsonRequests.Structure(FieldErrors.Of("", "a merge patch of a site must be a JSON object"));
        }
        var (stream, stale) = await SiteWrites.ReadAsync(session, http, id, expected);
        if (stale is not null)
        {
            return stale;
        }
        var site = stream!.Aggregate!;
        var current = expected;
        var before = JsonSerializer.SerializeToNode(Registration(site), JsonRequests.Wire);
        var after = JsonMergePatch.Apply(before, JsonNode.Parse(patch.GetRawText()));
        var (merged, structure) = requests.Typed<RegisterSiteEndpoint.RegisterSite>(JsonSerializer.SerializeToElement(after, JsonRequests.Wire), "compute-site");
        if (!structure.IsEmpty)
        {
            return JsonRequests.Structure(structure);
        }
        // Compared in the normalised form, so that spelling out a default or reordering a list is not a change.
        var normalised = JsonSerializer.SerializeToNode(Registration(merged!), JsonRequests.Wire);
        var (amended, errors) = Decide(site with { Version = current }, merged!, JsonMergePatch.ChangedPaths(before, normalised), reference, clock.GetUtcNow());
        if (!errors.IsEmpty)
        {
            return JsonRequests.Content(errors);
        }
        if (amended is null)
        {
            ETags.Set(http.Response, current);
            return TypedResults.Ok(site);
        }
        session.RecordActor(caller.Actor);
        stream.AppendOne(amended);
        var answer = TypedResults.Ok(site.Apply(amended) with { Version = amended.SiteVersion });
        return await SiteWrites.SaveAsync(session, http, answer, amended.SiteVersion) is { } conflict ? conflict : answer;
    }

    private static RegisterSiteEndpoint.RegisterSite Registration(ComputeSite site) =>
        new(site.Code, site.Name, site.Country, site.Operator, site.Accreditations, site.SecurityClasses, site.DataEmbassyFor, site.DpfCertified);

    private static RegisterSiteEndpoint.RegisterSite Registration(RegisterSiteEndpoint.RegisterSite site) =>
        site with { Accreditations = RegisterSiteEndpoint.Normalised(site.Accreditations), SecurityClasses = RegisterSiteEndpoint.Normalised(site.SecurityClasses) };

}
