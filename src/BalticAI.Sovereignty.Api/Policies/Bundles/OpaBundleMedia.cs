using Microsoft.OpenApi;

namespace BalticAI.Sovereignty.Api.Policies.Bundles;

/// <summary>
/// OPA's bundle file format (a gzipped tar) as a second media type of the bundle routes, beside the broker's JSON. An
/// endpoint's own OpenAPI transformer describes it: the framework gives every media type of an operation's body the one
/// body type, and an archive has no JSON schema.
/// </summary>
public static class OpaBundleMedia
{
    /// <summary>The media type OPA's bundle servers send bundles as.</summary>
    public const string Archive = "application/gzip";

    public static RouteHandlerBuilder AcceptsArchive(this RouteHandlerBuilder endpoint) =>
        endpoint.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            if (operation.RequestBody is OpenApiRequestBody body)
            {
                body.Content ??= new Dictionary<string, OpenApiMediaType>();
                body.Content[Archive] = Binary();
            }
            return Task.CompletedTask;
        });

    public static RouteHandlerBuilder ProducesArchive(this RouteHandlerBuilder endpoint) =>
        endpoint.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            if (operation.Responses?.TryGetValue("200", out var ok) == true && ok is OpenApiResponse response)
            {
                response.Content ??= new Dictionary<string, OpenApiMediaType>();
                response.Content.Remove("application/octet-stream");
                response.Content[Archive] = Binary();
            }
            return Task.CompletedTask;
        });

    private static OpenApiMediaType Binary() => new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } };
}
