using System.Text.RegularExpressions;
using BalticAI.Sovereignty.Api.Infrastructure.Idempotency;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Infrastructure.Validation;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BalticAI.Sovereignty.Api.Datasets.PublishingVersion;

/// <summary>An owner publishes the next version of a dataset: numbered by the broker, identified by its digest.</summary>
public static partial class PublishVersion
{
    public sealed record PublishVersionRequest(string Digest, long SizeBytes, long? Tokens, IReadOnlyList<string> Languages, string? Notes,
        IReadOnlyList<SourceVersion>? DerivedFrom = null);

    /// <summary><paramref name="sources"/>: the datasets <see cref="PublishVersionRequest.DerivedFrom"/> names, as recorded (absent when not registered).</summary>
    public static Decision Decide(Dataset dataset, PublishVersionRequest request, DateTimeOffset now, IReadOnlyDictionary<Guid, Dataset>? sources = null)
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
        var named = request.DerivedFrom ?? [];
        if (SourceErrors(dataset, named, sources ?? new Dictionary<Guid, Dataset>()) is { IsEmpty: false } errors)
        {
            return Decision.Invalid(errors);
        }
        return Decision.Of(new DatasetVersionPublished(
            dataset.Id, dataset.Versions.Count + 1, request.Digest, request.SizeBytes, request.Tokens,
            request.Languages, request.Notes, now, dataset.Countries, named.Count == 0 ? null : named));
    }

    /// <summary>
    /// Each named source version must be of a dataset the terms derive from, published, and neither it nor its dataset
    /// withdrawn: data made from erased data is not published as new (a restricted source is, and its restriction stops
    /// the derived version as it stops the source).
    /// </summary>
    private static FieldErrors SourceErrors(Dataset dataset, IReadOnlyList<SourceVersion> named, IReadOnlyDictionary<Guid, Dataset> sources)
    {
        var errors = new FieldErrors();
        for (var i = 0; i < named.Count; i++)
        {
            var (sourceId, number) = named[i];
            if (!dataset.Terms.Lineage.DerivedFrom.Contains(sourceId))
            {
                errors.Add($"/derivedFrom/{i}/datasetId", $"dataset {sourceId} is not among the sources the terms name (lineage.derivedFrom); amend the terms first");
            }
            else if (!sources.TryGetValue(sourceId, out var source))
            {
                errors.Add($"/derivedFrom/{i}/datasetId", $"no dataset {sourceId} is registered");
            }
            else if (source.Status == DatasetStatus.Withdrawn)
            {
                errors.Add($"/derivedFrom/{i}/datasetId", $"dataset {sourceId} was withdrawn ({DatasetView.Token(source.Withdrawal!.Reason)}); nothing made from it may be published");
            }
            else if (source.Versions.All(v => v.Number != number))
            {
                errors.Add($"/derivedFrom/{i}/version", DatasetProblems.NoSuchVersion(source, number));
            }
            else if (source.WithdrawalOf(number) is { } withdrawal)
            {
                errors.Add($"/derivedFrom/{i}/version", $"version {number} of dataset {sourceId} was withdrawn ({DatasetView.Token(withdrawal.Reason)}); nothing made from it may be published");
            }
            else if (named.Take(i).Contains(named[i]))
            {
                errors.Add($"/derivedFrom/{i}", $"names version {number} of dataset {sourceId} a second time");
            }
        }
        return errors;
    }

    public static IEndpointRouteBuilder MapPublishVersion(this IEndpointRouteBuilder app)
    {
        app.MapPost("/datasets/{id:guid}/versions", HandleAsync)
            .RequireAuthorization(policy => policy.RequireRole(Roles.DataOwner))
            .WithIdempotency()
            .WithName("PublishDatasetVersion")
            .WithTags("Datasets")
            .WithSummary("Publish the next version of a dataset (content digest, size, tokens, languages, the source versions it was made from)")
            .WithDescription("Body: schemas/dataset-version.schema.json. Requires If-Match with the dataset's ETag; answers 201 with the version and the dataset's new ETag. Accepts Idempotency-Key. A derived dataset's version names the source versions it was made from in `derivedFrom` ([{datasetId, version}], each of a dataset in the terms' lineage.derivedFrom, published and not withdrawn, else 422): a later withdrawal of one of them stops this version and what was trained on it. For a source it names no version of, the version is taken to come from every version of that source published by then, so any of their withdrawals stops it.")
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
        var named = (request!.DerivedFrom ?? []).Select(d => d.DatasetId).Distinct().ToArray();
        var sources = named.Length == 0
            ? new Dictionary<Guid, Dataset>()
            : (await session.LoadManyAsync<DatasetView>(http.RequestAborted, named)).ToDictionary(v => v.Id, v => v.State);
        return await DatasetWrite.RunAsync(http, id, caller, session,
            dataset => Decide(dataset, request, clock.GetUtcNow(), sources),
            (dataset, _) => TypedResults.Created($"/datasets/{id}/versions/{dataset.Versions[^1].Number}", dataset.Versions[^1]));
    }

    [GeneratedRegex("^sha256:[0-9a-f]{64}$")]
    private static partial Regex Digest();

    [GeneratedRegex("^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")]
    private static partial Regex LanguageTag();
}
