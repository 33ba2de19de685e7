using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace BalticAI.Sovereignty.Api.Infrastructure.OpenApi;

public static class OpenApiSetup
{
    public static WebApplicationBuilder AddSovereigntyOpenApi(this WebApplicationBuilder builder)
    {
        builder.Services.AddOpenApi(options => options
            .AddDocumentTransformer<BearerSecurityTransformer>()
            .AddOperationTransformer<StandardResponses>());
        return builder;
    }

    /// <summary>`/openapi/v1.json` and the interactive reference at `/scalar`, both open without a token.</summary>
    public static IEndpointRouteBuilder MapSovereigntyOpenApi(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi().AllowAnonymous();
        app.MapScalarApiReference(options => options.WithTitle("BalticAI.Sovereignty broker")).AllowAnonymous();
        return app;
    }
}

internal sealed class BearerSecurityTransformer : IOpenApiDocumentTransformer
{
    public const string Scheme = "Bearer";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info.Title = "BalticAI.Sovereignty broker";
        document.Info.Description = "Decides, records and reports every use of a dataset by an AI training job.";
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[Scheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "An Entra ID access token (development: `balticai token --role ... --tenant ...`).",
        };
        return Task.CompletedTask;
    }
}
