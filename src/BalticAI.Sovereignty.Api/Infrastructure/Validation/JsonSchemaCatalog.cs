using System.Text.Json;
using Json.Schema;

namespace BalticAI.Sovereignty.Api.Infrastructure.Validation;

/// <summary>
/// The request schemas of `schemas/` (copied beside the binaries), the same files clients receive.
/// They check structure only; content rules that need reference data stay in the slices.
/// </summary>
public sealed class JsonSchemaCatalog
{
    /// <summary>A yes or no, for the common case of a valid body: it builds no output tree.</summary>
    private static readonly EvaluationOptions Verdict = new() { OutputFormat = OutputFormat.Flag, RequireFormatValidation = true };

    /// <summary>Every error with its location, asked for only once the verdict is no.</summary>
    private static readonly EvaluationOptions Evaluation = new() { OutputFormat = OutputFormat.List, RequireFormatValidation = true };
    private readonly Dictionary<string, JsonSchema> _schemas = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _texts = new(StringComparer.Ordinal);

    /// <summary>Messages are set before any schema is evaluated: the library words them at evaluation.</summary>
    static JsonSchemaCatalog() => SchemaErrorWording.Install();

    public JsonSchemaCatalog(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new InvalidOperationException($"Request schema directory '{directory}' does not exist");
        }
        // A registry of its own: several hosts in one process (tests) would otherwise clash on $id.
        var options = new BuildOptions { SchemaRegistry = new SchemaRegistry() };
        foreach (var file in Directory.EnumerateFiles(directory, "*.schema.json"))
        {
            var name = Path.GetFileName(file)[..^".schema.json".Length];
            _texts[name] = File.ReadAllText(file);
            _schemas[name] = JsonSchema.FromText(_texts[name], options);
        }
    }

    public static string DefaultDirectory => Path.Combine(AppContext.BaseDirectory, "schemas");

    /// <summary>The schema file as clients receive it, or null when there is none by that name.</summary>
    public string? Text(string name) => _texts.GetValueOrDefault(name);

    /// <summary>`GET /schemas/{name}.schema.json`: the request schemas, open without a token.</summary>
    public static IEndpointRouteBuilder MapRequestSchemas(IEndpointRouteBuilder app)
    {
        app.MapGet("/schemas/{name}.schema.json", (string name, JsonSchemaCatalog catalog) =>
                catalog.Text(name) is { } text
                    ? Results.Text(text, "application/schema+json")
                    : TypedResults.Problem(title: "No such schema", statusCode: StatusCodes.Status404NotFound))
            .AllowAnonymous()
            .WithName("GetRequestSchema")
            .WithTags("Schemas")
            .WithSummary("A request body's JSON Schema (e.g. dataset-terms), as the broker validates it")
            .Produces(StatusCodes.Status200OK, contentType: "application/schema+json")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public FieldErrors Validate(string schemaName, JsonElement instance)
    {
        var errors = new FieldErrors();
        if (!_schemas.TryGetValue(schemaName, out var schema))
        {
            throw new InvalidOperationException($"No request schema '{schemaName}' in the catalog");
        }
        if (schema.Evaluate(instance, Verdict).IsValid)
        {
            return errors;
        }
        var results = schema.Evaluate(instance, Evaluation);
        foreach (var detail in (results.Details ?? []).Prepend(results))
        {
            if (detail.Errors is null)
            {
                continue;
            }
            var location = detail.InstanceLocation.ToString();
            foreach (var (keyword, message) in detail.Errors)
            {
                SchemaErrorWording.Add(errors, location, keyword, message);
            }
        }
        if (errors.IsEmpty)
        {
            errors.Add("", "does not match the request schema");
        }
        return errors;
    }
}
