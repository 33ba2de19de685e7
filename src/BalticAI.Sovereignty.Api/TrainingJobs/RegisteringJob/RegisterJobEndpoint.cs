using BalticAI.Sovereignty.Api.Datasets.ReferenceData;
using BalticAI.Sovereignty.Api.Infrastructure.Idempotency;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Infrastructure.Validation;
using BalticAI.Sovereignty.Api.Ledger;
using BalticAI.Sovereignty.Api.Sites;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BalticAI.Sovereignty.Api.TrainingJobs.RegisteringJob;

public static class RegisterJobEndpoint
{
    /// <summary>
    /// The body (schemas/training-job.schema.json). HighRiskSystem, the model is for a high-risk AI system
    /// (AI Act Art. 10(5)), is optional: the serializer leaves it false when the body leaves it out.
    /// </summary>
    public sealed record RegisterJob(
        string Operator,
        JobPurpose Purpose,
        bool Commercial,
        bool GeneralPurposeModel,
        bool HighRiskSystem,
        Guid SiteId,
        ModelReference Model,
        ModelReference? BaseModel,
        ModelRecipient? Recipient,
        DateOnly PlannedStart,
        DateOnly PlannedEnd);

    /// <summary>
    /// Policies compare instants with time.parse_rfc3339_ns, int64 nanoseconds since 1970 (1677-09-21 to 2262-04-11 23:47):
    /// a job ending in 9999 was registered, and every decision on data with expiring terms was then denied as if its
    /// planned end were missing or unreadable.
    /// </summary>
    private static readonly DateOnly FirstReadableDay = new(1677, 9, 22), LastReadableDay = new(2262, 4, 10);

    /// <summary>Pure: checks the job against recorded facts and yields the event, or the failing fields.</summary>
    public static (TrainingJobRegistered? Registered, FieldErrors Errors) Decide(Guid id, RegisterJob job, Actor trainingSystem, ComputeSite? site, TenantEntry? operatorEntry,
        DatasetReferenceData reference, DateTimeOffset now)
    {
        var errors = new FieldErrors();
        // The transfer rule (GDPR Chapter V) decides on this country as on a site's, so it is one the broker knows, like theirs.
        if (job.Recipient is { } recipient)
        {
            KnownCountry.Check(errors, "/recipient/country", recipient.Country, reference.Countries);
            DpfCertification.Check(errors, "/recipient/dpfCertified", recipient.Country, recipient.DpfCertified, reference.DpfCountries);
        }
        if (site is null)
        {
            errors.Add("/siteId", $"no compute site {job.SiteId} is registered");
        }
        else if (site.Suspension is { } suspension)
        {
            errors.Add("/siteId", $"compute site {site.Code} is suspended ({Sites.Suspending.SuspendSiteEndpoint.Token(suspension.Reason)}) since {suspension.Since:O}; no job is registered there until it is lifted");
        }
        if (operatorEntry is null)
        {
            errors.Add("/operator", $"'{job.Operator}' is not an organisation on the broker's tenant map");
        }
        if (job.PlannedEnd < job.PlannedStart)
        {
            errors.Add("/plannedEnd", "the planned end is before the planned start");
        }
        foreach (var (pointer, day) in new[] { ("/plannedStart", job.PlannedStart), ("/plannedEnd", job.PlannedEnd) })
        {
            if (day < FirstReadableDay || day > LastReadableDay)
            {
                errors.Add(pointer, $"must be between {FirstReadableDay:yyyy-MM-dd} and {LastReadableDay:yyyy-MM-dd}, the days policies can compare");
            }
        }
        if (job.Purpose == JobPurpose.Commercial && !job.Commercial)
        {
            errors.Add("/commercial", "a job whose purpose is commercial is commercial");
        }
        if (!errors.IsEmpty)
        {
            return (null, errors);
        }
        return (new TrainingJobRegistered(id, trainingSystem.Organisation, job.Operator, operatorEntry!.Country, job.Purpose, job.Commercial,
            job.GeneralPurposeModel, job.HighRiskSystem, site!.Id, site.Country, job.Model, job.BaseModel, job.Recipient, job.PlannedStart, job.PlannedEnd, now), errors);
    }

    public static IEndpointRouteBuilder MapRegisterJob(this IEndpointRouteBuilder app)
    {
        app.MapPost("/training-jobs", HandleAsync)
            .RequireAuthorization(policy => policy.RequireRole(Roles.TrainingSystem))
            .WithIdempotency()
            .WithName("RegisterTrainingJob")
            .WithTags("Training jobs")
            .WithSummary("Register a training job before it asks for any data (TrainingSystem)")
            .WithDescription("Body: schemas/training-job.schema.json. The caller's organisation is recorded as the job's training system; only it may ask for access for this job. The operator is the caller's own organisation or one that lists it in its JobDelegates (403 otherwise). Accepts Idempotency-Key.")
            .Accepts<RegisterJob>("application/json")
            .Produces<TrainingJob>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        return app;
    }

    private static async Task<Results<Created<TrainingJob>, ProblemHttpResult>> HandleAsync(
        HttpContext http, Caller caller, JsonRequests requests, TenantMap tenants, DatasetReferenceData reference, IDocumentSession session, TimeProvider clock)
    {
        var (job, problem) = await requests.ReadAsync<RegisterJob>(http.Request, "training-job", http.RequestAborted);
        if (problem is not null)
        {
            return problem;
        }
        var site = await session.LoadAsync<ComputeSite>(job!.SiteId, http.RequestAborted);
        var operatorEntry = tenants.OfOrganisation(job.Operator);
        if (operatorEntry is not null && !tenants.MayRegisterJobsFor(caller.Actor.Organisation, job.Operator))
        {
            return TypedResults.Problem(title: "Not delegated by the operator",
                detail: $"'{job.Operator}' has not delegated its training jobs to '{caller.Actor.Organisation}' (Tenants:{{tenant}}:JobDelegates); nothing was recorded.",
                statusCode: StatusCodes.Status403Forbidden);
        }
        var now = clock.GetUtcNow();
        var (registered, errors) = Decide(Guid.CreateVersion7(now), job, caller.Actor, site, operatorEntry, reference, now);
        if (registered is null)
        {
            return JsonRequests.Content(errors);
        }
        session.RecordActor(caller.Actor);
        session.Events.StartStream<TrainingJob>(registered.JobId, registered);
        var answer = TypedResults.Created($"/training-jobs/{registered.JobId}", TrainingJob.Create(registered));
        await session.SaveWithAnswerAsync(http, answer);
        return answer;
    }
}
