using Microsoft.OpenApi;

namespace BalticAI.Sovereignty.Api.Infrastructure.OpenApi;

/// <summary>Documents request headers that endpoints read themselves (If-Match, Idempotency-Key).</summary>
public static class OpenApiHeaders
{
    public static TBuilder WithRequestHeader<TBuilder>(this TBuilder endpoint, string name, bool required, string description)
        where TBuilder : IEndpointConventionBuilder =>
        endpoint.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = name,
                In = ParameterLocation.Header,
                Required = required,
                Description = description,
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            });
            return Task.CompletedTask;
        });
}
