using System.Text.RegularExpressions;
using BalticAI.Sovereignty.Api.Infrastructure.Hardening;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace BalticAI.Sovereignty.Api.Infrastructure.OpenApi;

/// <summary>
/// The problems an operation can answer because of the pipeline around it rather than its own handler, declared here
/// from its endpoint metadata so that no route has to remember them, with the bearer token every non-anonymous operation
/// needs: 400 for all of them (every operation the document describes refuses a query key it does not declare,
/// <see cref="Validation.DeclaredQuery"/>, and a value the framework cannot bind is named by
/// <see cref="Validation.UnboundQueryValues"/>), 401 unless it allows anonymous callers (the
/// fallback policy wants a token), 403 when it requires a role, 429 with Retry-After while rate limits are on, and
/// 503 with Retry-After unless it is one of <see cref="DependencyFreeRoutes"/>.
/// </summary>
internal sealed partial class StandardResponses(IOptions<RateLimitOptions> rateLimits) : IOpenApiOperationTransformer
{
    private const string ProblemSchema = nameof(ProblemDetails);

    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var description = context.Description;
        var metadata = description.ActionDescriptor.EndpointMetadata;
        var path = "/" + RouteConstraint().Replace(description.RelativePath ?? "", "{$1}");
        var anonymous = metadata.OfType<IAllowAnonymous>().Any();
        var problem = await ProblemSchemaAsync(context, cancellationToken);
        operation.Responses ??= [];

        Declare(operation, StatusCodes.Status400BadRequest,
            "The query names a parameter the operation does not take, repeats one, or gives a value it does not expect; `errors` names each parameter.",
            problem);
        if (!anonymous)
        {
            Declare(operation, StatusCodes.Status401Unauthorized, "No valid bearer token.", problem);
            // Per operation rather than for the whole document, so that the anonymous ones (JWKS, checkpoints,
            // schemas) are not shown as needing a token.
            operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerSecurityTransformer.Scheme, context.Document)] = [] }];
        }
        if (!anonymous && RequiresRole(metadata))
        {
            Declare(operation, StatusCodes.Status403Forbidden, "The caller's roles, or its organisation, do not allow this operation.", problem);
        }
        if (rateLimits.Value.Enabled && !CallerRateLimits.IsExempt(new PathString(path)))
        {
            Declare(operation, StatusCodes.Status429TooManyRequests, "The caller's budget is spent; nothing was done.", problem, RetryAfter());
        }
        if (!DependencyFreeRoutes.Contains(description.HttpMethod ?? "", path))
        {
            Declare(operation, StatusCodes.Status503ServiceUnavailable,
                "The database, the policy engine or the key store cannot answer, or the request ran out of time; nothing was recorded.", problem, RetryAfter());
        }
    }

    private static bool RequiresRole(IList<object> metadata) =>
        metadata.OfType<AuthorizationPolicy>().Any(p => p.Requirements.OfType<RolesAuthorizationRequirement>().Any())
        || metadata.OfType<IAuthorizeData>().Any(a => !string.IsNullOrEmpty(a.Roles));

    /// <summary>A route's own declaration of the status is kept; only the header is added to it.</summary>
    private static void Declare(OpenApiOperation operation, int status, string description, IOpenApiSchema problem, OpenApiHeader? header = null)
    {
        var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (!operation.Responses!.TryGetValue(key, out var response))
        {
            response = new OpenApiResponse
            {
                Description = description,
                Content = new Dictionary<string, OpenApiMediaType> { ["application/problem+json"] = new() { Schema = problem } },
            };
            operation.Responses[key] = response;
        }
        if (header is not null && response is OpenApiResponse concrete)
        {
            concrete.Headers ??= new Dictionary<string, IOpenApiHeader>();
            concrete.Headers["Retry-After"] = header;
        }
    }

    private static OpenApiHeader RetryAfter() => new()
    {
        Description = "Seconds to wait before asking again.",
        Required = true,
        Schema = new OpenApiSchema { Type = JsonSchemaType.Integer },
    };

    private static async Task<IOpenApiSchema> ProblemSchemaAsync(OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var document = context.Document!;
        if (document.Components?.Schemas?.ContainsKey(ProblemSchema) != true)
        {
            document.AddComponent(ProblemSchema, await context.GetOrCreateSchemaAsync(typeof(ProblemDetails), null, cancellationToken));
        }
        return new OpenApiSchemaReference(ProblemSchema, document);
    }

    /// <summary>`{id:guid}` as the document writes it, `{id}`.</summary>
    [GeneratedRegex(@"\{\**([A-Za-z0-9_]+)[^}]*\}")]
    private static partial Regex RouteConstraint();
}
