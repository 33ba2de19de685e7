using System.Text.Json;
using System.Text.RegularExpressions;
using Json.Schema;

namespace BalticAI.Sovereignty.Api.Infrastructure.Validation;

/// <summary>
/// The request schemas of `schemas/` (copied beside the binaries), the same files clients receive.
/// They check structure only; content rules that need reference data stay in the slices.
/// </summary>
public sealed partial class JsonSchemaCatalog
{
    /// <summary>A yes or no, for the common case of a valid body: it builds no output tree.</summary>
    private static readonly EvaluationOptions Verdict = new() { OutputFormat = OutputFormat.Flag, RequireFormatValidation = true };

    /// <summary>Every error with its location, asked for only once the verdict is no.</summary>
    private static readonly EvaluationOptions Evaluation = new() { OutputFormat = OutputFormat.List, RequireFormatValidation = true };
    private readonly Dictionary<string, JsonSchema> _schemas = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _texts = new(StringComparer.Ordinal);

    /// <summary>
    /// JsonSchema.Net's enum message names no value ("should match one of the values specified by the enum"), because
    /// an enum may be large; ours are short vocabularies, and a client needs the terms. The library keeps its messages
    /// process-wide, and this catalog is its only user in the broker: the message becomes the values alone, which
    /// <see cref="AddError"/> words; a pattern's message names the pattern, a type's the type asked for.
    /// </summary>
    static JsonSchemaCatalog()
    {
        ErrorMessages.Enum = "[[values]]";
        // The default says "not a match for the indicated regular expression" without indicating it.
        ErrorMessages.Pattern = "[[pattern]]";
        ErrorMessages.Type = "[[expected]]";
    }

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
                AddError(errors, location, keyword, message);
            }
        }
        if (errors.IsEmpty)
        {
            errors.Add("", "does not match the request schema");
        }
        return errors;
    }

    /// <summary>Names the missing or unexpected property itself rather than its parent.</summary>
    private static void AddError(FieldErrors errors, string location, string keyword, string message)
    {
        switch (keyword)
        {
            case "required":
                foreach (Match missing in QuotedName().Matches(message))
                {
                    errors.Add(FieldErrors.Child(location, missing.Groups[1].Value), "is required");
                }
                break;
            // A member the schema does not list meets its `false` schema, which JsonSchema.Net 8 reports under no keyword
            // ("All values fail against the false schema").
            case "" or "false":
                errors.Add(location, "is not allowed here");
                break;
            case "enum":
                errors.Add(location, OneOf(message));
                break;
            case "pattern":
                errors.Add(location, "must match " + Unquoted(message));
                break;
            case "type":
                errors.Add(location, "must be " + JsonTypes(message));
                break;
            default:
                errors.Add(location, message);
                break;
        }
    }

    /// <summary>"must be one of a, b, c" from the enum's values as JSON; strings are named without quotes.</summary>
    private static string OneOf(string values)
    {
        System.Text.Json.Nodes.JsonArray? terms;
        try
        {
            terms = System.Text.Json.Nodes.JsonNode.Parse(values) as System.Text.Json.Nodes.JsonArray;
        }
        catch (JsonException)
        {
            // Another template than ours: there are no values to name.
            terms = null;
        }
        return terms is null
            ? "must be one of the values the schema lists"
            : "must be one of " + string.Join(", ", terms.Select(t => t?.GetValueKind() == JsonValueKind.String ? t.GetValue<string>() : t?.ToJsonString() ?? "null"));
    }

    /// <summary>"a string", "a string or null": the type or types a schema asks for, as the message token gives them.</summary>
    private static string JsonTypes(string expected)
    {
        System.Text.Json.Nodes.JsonNode? node;
        try
        {
            node = System.Text.Json.Nodes.JsonNode.Parse(expected);
        }
        catch (JsonException)
        {
            // Another template than ours: the message is the text itself.
            return expected;
        }
        // Several types come as one string, "string, null".
        var names = node is System.Text.Json.Nodes.JsonArray many
            ? many.Select(n => n?.ToString() ?? "")
            : (node?.ToString() ?? "").Split(", ", StringSplitOptions.RemoveEmptyEntries);
        return string.Join(" or ", names.Select(name => name switch
        {
            "null" => "null",
            "integer" or "object" or "array" => "an " + name,
            _ => "a " + name,
        }));
    }

    /// <summary>The pattern as the schema writes it: the message token is its JSON string, quotes and escapes included.</summary>
    private static string Unquoted(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<string>(json) ?? json;
        }
        catch (JsonException)
        {
            // Another template than ours: the message is the text itself.
            return json;
        }
    }

    [GeneratedRegex("\"((?:[^\"\\\\]|\\\\.)*)\"")]
    private static partial Regex QuotedName();
}
