using BalticAI.Sovereignty.Api.Ledger.RecordingReads;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BalticAI.Sovereignty.Api.Provenance.ModelVersions.GettingModelVersion;

public static class GetModelVersionEndpoint
{
    public static IEndpointRouteBuilder MapGetModelVersion(this IEndpointRouteBuilder app)
    {
        app.MapGet("/models/{modelId}/versions/{version}", async Task<Results<Ok<ModelVersionView>, ProblemHttpResult>> (
                string modelId, string version, Caller caller, TenantMap tenants, IQuerySession session, CancellationToken ct) =>
            {
                var view = await session.LoadAsync<ModelVersionView>(LineageNames.ModelVersionId(modelId, version), ct);
                return view is not null && await ProvenanceReadAccess.CanReadAsync(caller, view, tenants, session, ct)
                    ? TypedResults.Ok(view)
                    : ProvenanceReadAccess.ModelVersionNotFound(modelId, version);
            })
            .RequireAuthorization(policy => policy.RequireRole(Roles.All))
            .RecordsReads()
            .WithName("GetModelVersion")
            .WithTags("Provenance")
            .WithSummary("A model version: digest, job, run, base model, trained-on datasets, inherited restrictions and flags")
            .WithDescription("Regulators see the model versions their feed carried: concerning their country, or reported by a training system of it (the EU AI Office sees all); others answer 404.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }
}
