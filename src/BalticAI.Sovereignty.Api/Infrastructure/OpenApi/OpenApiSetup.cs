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
            .AddDocumentTransformer<NoServersTransformer>()
            .AddOperationTransformer<StandardResponses>());
        builder.Services.AddOutputCache(options => options.AddPolicy(OpenApiDocumentCache.PolicyName, new OpenApiDocumentCache()));
        return builder;
    }

    /// <summary>
    /// `/openapi/v1.json` and the interactive reference at `/scalar`, both open without a token. The document is served
    /// from <see cref="OpenApiDocumentCache"/>, whose middleware runs after authentication and the rate limits; no other
    /// route names a cache policy, so nothing else is cached.
    /// </summary>
    public static WebApplication MapSovereigntyOpenApi(this WebApplication app)
    {
        app.UseOutputCache();
        // The document reads no dependency, so the request timeout that guards the database routes has nothing to cut short;
        // a cold generation on a loaded host outlived it while the body was being written.
        app.MapOpenApi().AllowAnonymous().CacheOutput(OpenApiDocumentCache.PolicyName).DisableRequestTimeout();
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
