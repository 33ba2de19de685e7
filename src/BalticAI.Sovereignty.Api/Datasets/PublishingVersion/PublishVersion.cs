using System.Text.RegularExpressions;
using BalticAI.Sovereignty.Api.Infrastructure.Idempotency;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BalticAI.Sovereignty.Api.Datasets.PublishingVersion;

/// <summary>An owner publishes the next version of a dataset: numbered by the broker, identified by its digest.</summary>
public static partial class PublishVersion
{
    public sealed record PublishVersionRequest(string Digest, long SizeBytes, long? Tokens, IReadOnlyList<string> Languages, string? Notes);

    public static Decision Decide(Dataset dataset, PublishVersionRequest request, DateTimeOffset now)
    {
        if (dataset.Status == DatasetStatus.Withdrawn)
        {
            return Decision.Conflict("The dataset is withdrawn; no version can be published.");
        }
        if (!Digest().IsMatch(request.Digest))
        {
            return Decision.Invalid("/digest", "must be 'sha256:' followed by 64 lower-case hex digits");
        }
        if (dataset.Versions.FirstOrDefault(v => v.Digest == request.Digest) is { } same)
        {
            return Decision.Invalid("/digest", $"is already version {same.Number}");
        }
        if (request.Languages.FirstOrDefault(l => !LanguageTag().IsMatch(l)) is { } language)
        {
            return Decision.Invalid("/languages", $"'{language}' is not a BCP 47 language tag (e.g. pl, en, et, lt, lv)");
        }
        // BCP 47 tags are case-insensitive: the schema's uniqueItems let `pl-PL` and `pl-pl` through as two languages.
        if (request.Languages.GroupBy(l => l, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            return Decision.Invalid("/languages", $"names language '{twice.Key}' more than once (tags are case-insensitive)");
        }
        return Decision.Of(new DatasetVersionPublished(
            dataset.Id, dataset.Versions.Count + 1, request.Digest, request.SizeBytes, request.Tokens,
            request.Languages, request.Notes, now, dataset.Countries));
    }

    public static IEndpointRouteBuilder MapPublishVersion(this IEndpointRouteBuilder app)
    {
        app.MapPost("/datasets/{id:guid}/versions", HandleAsync)
            .RequireAuthorization(policy => policy.RequireRole(Roles.DataOwner))
            .WithIdempotency()
            .WithName("PublishDatasetVersion")
            .WithTags("Datasets")
            .WithSummary("Publish the next version of a dataset (content digest, size, tokens, languages)")
            .WithDescription("Body: schemas/dataset-version.schema.json. Requires If-Match with the dataset's ETag; answers 201 with the version and the dataset's new ETag. Accepts Idempotency-Key.")
            .Accepts<PublishVersionRequest>("application/json")
            .Produces<DatasetVersion>(StatusCodes.Status201Created)
            .ProducesWriteProblems();
        return app;
    }

    private static async Task<Results<Created<DatasetVersion>, ProblemHttpResult>> HandleAsync(
        Guid id, HttpContext http, Caller caller, DatasetRequests requests, IDocumentSession session, TimeProvider clock)
    {
        var (request, problem) = await requests.ReadAsync<PublishVersionRequest>(http.Request, "dataset-version", http.RequestAborted);
        if (problem is not null)
        {
            return problem;
        }
        return await DatasetWrite.RunAsync(http, id, caller, session,
            dataset => Decide(dataset, request!, clock.GetUtcNow()),
            (dataset, _) => TypedResults.Created($"/datasets/{id}/versions/{dataset.Versions[^1].Number}", dataset.Versions[^1]));
    }

    [GeneratedRegex("^sha256:[0-9a-f]{64}$")]
    private static partial Regex Digest();

    [GeneratedRegex("^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")]
    private static partial Regex LanguageTag();
}
