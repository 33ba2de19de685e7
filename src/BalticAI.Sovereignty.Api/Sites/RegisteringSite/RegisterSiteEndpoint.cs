using BalticAI.Sovereignty.Api.Datasets.ReferenceData;
using BalticAI.Sovereignty.Api.Infrastructure.Idempotency;
using BalticAI.Sovereignty.Api.Infrastructure.Concurrency;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Infrastructure.Validation;
using BalticAI.Sovereignty.Api.Ledger;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BalticAI.Sovereignty.Api.Sites.RegisteringSite;

public static class RegisterSiteEndpoint
{
    /// <summary>The body (schemas/compute-site.schema.json); DpfCertified is false when the body leaves it out.</summary>
    public sealed record RegisterSite(string Code, string Name, string Country, string Operator, IReadOnlyList<string>? Accreditations, IReadOnlyList<string>? SecurityClasses, string? DataEmbassyFor,
        bool DpfCertified);

    /// <summary>Content checks: known country, unique code, security classes known for the site's country, a certification its country's framework grants.</summary>
    public static FieldErrors Check(RegisterSite site, DatasetReferenceData reference, bool codeTaken)
    {
        var errors = new FieldErrors();
        KnownCountry.Check(errors, "/country", site.Country, reference.Countries);
        if (site.DataEmbassyFor is { } state)
        {
            KnownCountry.Check(errors, "/dataEmbassyFor", state, reference.Countries);
            if (state == site.Country)
            {
                // Residency rules take an embassy's data as held by its state though abroad; at home that reading means nothing.
                errors.Add("/dataEmbassyFor", $"a site in {state} cannot be {state}'s data embassy: an embassy is abroad");
            }
        }
        DpfCertification.Check(errors, "/dpfCertified", site.Country, site.DpfCertified, reference.DpfCountries);
        if (codeTaken)
        {
            errors.Add("/code", $"a site with code '{site.Code}' is already registered");
        }
        foreach (var (cls, i) in (site.SecurityClasses ?? []).Select((c, i) => (c, i)))
        {
            if (!reference.SecurityClasses.TryGetValue(site.Country, out var classes) || !classes.Contains(cls))
            {
                errors.Add($"/securityClasses/{i}", $"'{cls}' is not a security class of {site.Country} (policies/data/security_classes.json)");
            }
        }
        return errors;
    }

    public static ComputeSiteRegistered Decide(Guid id, RegisterSite site, DateTimeOffset now) => new(
        id, site.Code, site.Name, site.Country, site.Operator, Normalised(site.Accreditations), Normalised(site.SecurityClasses),
        site.DataEmbassyFor, now, site.DpfCertified);

    /// <summary>Accreditations and security classes as recorded: each once, in ordinal order.</summary>
    public static List<string> Normalised(IReadOnlyList<string>? values) => (values ?? []).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    public static IEndpointRouteBuilder MapRegisterSite(this IEndpointRouteBuilder app)
    {
        app.MapPost("/sites", HandleAsync)
            .RequireAuthorization(policy => policy.RequireRole(Roles.PolicyAdmin))
            .WithIdempotency()
            .WithName("RegisterSite")
            .WithTags("Sites")
            .WithSummary("Register a compute site where training jobs may run (PolicyAdmin)")
            .WithDescription("Body: schemas/compute-site.schema.json. Accreditations such as `secure-processing-environment` and the national security classes the site may hold are what residency and health rules decide on. Accepts Idempotency-Key.")
            .Accepts<RegisterSite>("application/json")
            .Produces<ComputeSite>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        return app;
    }

    private static async Task<Results<Created<ComputeSite>, ProblemHttpResult>> HandleAsync(
        HttpContext http, Caller caller, JsonRequests requests, DatasetReferenceData reference, IDocumentSession session, TimeProvider clock)
    {
        var (site, problem) = await requests.ReadAsync<RegisterSite>(http.Request, "compute-site", http.RequestAborted);
        if (problem is not null)
        {
            return problem;
        }
        var taken = await session.Query<ComputeSite>().AnyAsync(s => s.Code == site!.Code, http.RequestAborted);
        var errors = Check(site!, reference, taken);
        if (!errors.IsEmpty)
        {
            return JsonRequests.Content(errors);
        }
        var now = clock.GetUtcNow();
        var registered = Decide(Guid.CreateVersion7(now), site!, now);
        session.RecordActor(caller.Actor);
        session.Events.StartStream<ComputeSite>(registered.SiteId, registered);
        var answer = TypedResults.Created($"/sites/{registered.SiteId}", ComputeSite.Create(registered) with { Version = 1 });
        ETags.Set(http.Response, 1);
        try
        {
            await session.SaveWithAnswerAsync(http, answer);
        }
        catch (Exception e) when (SitesModule.IsCodeTaken(e))
        {
            // Another registration of this code committed after the check above: the answer it would have got a moment later.
            return JsonRequests.Content(Check(site!, reference, codeTaken: true));
        }
        return answer;
    }
}
