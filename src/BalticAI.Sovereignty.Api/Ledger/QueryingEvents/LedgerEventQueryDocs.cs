using BalticAI.Sovereignty.Api.Infrastructure.Validation;
using Microsoft.OpenApi;

namespace BalticAI.Sovereignty.Api.Ledger.QueryingEvents;

/// <summary>
/// Declares the query parameters <see cref="LedgerEventFilter.Parse"/> reads by hand. It reads the whole query itself so that
/// every fault is named at once, a repeated or unknown parameter among them, where binding would stop at the first value it
/// cannot convert; the document would otherwise list none of them.
/// </summary>
public static class LedgerEventQueryDocs
{
    private static readonly Dictionary<string, (JsonSchemaType Type, string? Format, string Description)> Described = new(StringComparer.Ordinal)
    {
        ["country"] = (JsonSchemaType.String, null, "ISO 3166-1 alpha-2; events whose countries include it."),
        ["dataset"] = (JsonSchemaType.String, "uuid", "Events about that dataset."),
        ["job"] = (JsonSchemaType.String, "uuid", "Events about that training job."),
        ["model"] = (JsonSchemaType.String, null, "A model id or, for job events, the job's model name as registered."),
        ["type"] = (JsonSchemaType.String, null,
            "Event types, comma-separated or repeated: as recorded (access_decided) or as named in the API (AccessDecided). A type this route does not list is refused (400) with those it does."),
        ["from"] = (JsonSchemaType.String, null, "RFC 3339 time or a date (midnight UTC), inclusive: when the event was committed."),
        ["to"] = (JsonSchemaType.String, null, "RFC 3339 time or a date (midnight UTC), exclusive; later than from."),
        ["cursor"] = (JsonSchemaType.String, null, "Opaque: the previous page's `next` link carries it."),
        ["limit"] = (JsonSchemaType.Integer, "int32", $"Events per page, 1 to {LedgerEventFilter.MaxLimit}; {LedgerEventFilter.DefaultLimit} when absent."),
    };

    /// <summary>
    /// The operation's <paramref name="parameters"/> and its 400: an endpoint's own transformer runs after the document's,
    /// so <see cref="Infrastructure.OpenApi.StandardResponses"/> does not see these parameters. The route names unknown and
    /// repeated parameters itself (<see cref="LedgerEventFilter.Parse"/>), so the pipeline's check of them leaves it alone.
    /// </summary>
    public static RouteHandlerBuilder WithLedgerEventQuery(this RouteHandlerBuilder endpoint, IReadOnlyList<string> parameters) =>
        endpoint.ChecksItsOwnQuery().ProducesProblem(StatusCodes.Status400BadRequest).AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.Parameters ??= [];
            foreach (var name in parameters)
            {
                var (type, format, description) = Described[name];
                operation.Parameters.Add(new OpenApiParameter
                {
                    Name = name,
                    In = ParameterLocation.Query,
                    Description = description,
                    Schema = new OpenApiSchema { Type = type, Format = format },
                });
            }
            return Task.CompletedTask;
        });
}
