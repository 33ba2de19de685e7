using BalticAI.Sovereignty.Api.Ledger.RecordingReads;
using BalticAI.Sovereignty.Api.Datasets;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Provenance.ModelVersions;
using Marten;
using Microsoft.Net.Http.Headers;

namespace BalticAI.Sovereignty.Api.Provenance.Exporting;

public static class GetTrainingContentSummaryEndpoint
{
    public const string Markdown = "text/markdown";

    public static IEndpointRouteBuilder MapGetTrainingContentSummary(this IEndpointRouteBuilder app)
    {
        app.MapGet("/models/{modelId}/versions/{version}/training-content-summary", async Task<IResult> (
                string modelId, string version, HttpContext http, Caller caller, TenantMap tenants, IQuerySession session, CancellationToken ct) =>
            {
                var model = await session.LoadAsync<ModelVersionView>(LineageNames.ModelVersionId(modelId, version), ct);
                if (model is null || !await ProvenanceReadAccess.CanReadAsync(caller, model, tenants, session, ct))
                {
                    return ProvenanceReadAccess.ModelVersionNotFound(modelId, version);
                }
                var datasets = (await session.LoadManyAsync<DatasetView>(ct, model.Upstream.Select(u => u.DatasetId).Distinct().ToArray())).ToDictionary(d => d.Id, d => d.State);
                var summary = TrainingContentSummary.Of(model, datasets);
                return WantsMarkdown(http.Request)
                    ? Results.Text(SummaryMarkdown.Render(summary), Markdown + "; charset=utf-8")
                    : TypedResults.Ok(summary);
            })
            .RequireAuthorization(policy => policy.RequireRole(Roles.All))
            .RecordsReads()
            .WithName("GetTrainingContentSummary")
            .WithTags("Provenance")
            .WithSummary("The AI Act Art. 53(1)(d) public summary of a model version's training content, from the ledger (JSON, or Markdown with Accept: text/markdown)")
            .WithDescription("Regulators see the model versions their feed carried: concerning their country, or reported by a training system of it (the EU AI Office sees all).")
            .Produces<TrainingContentSummary>()
            .Produces<string>(contentType: Markdown)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static bool WantsMarkdown(HttpRequest request) =>
        MediaTypeHeaderValue.TryParseList(request.Headers.Accept.Where(a => a is not null).Select(a => a!).ToList(), out var accepted)
        && accepted.OrderByDescending(a => a.Quality ?? 1).FirstOrDefault() is { } best
        && best.MediaType.Equals(Markdown, StringComparison.OrdinalIgnoreCase);
}
