using System.Text.Json;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Infrastructure.Validation;
using BalticAI.Sovereignty.Rego;
using Json.Schema;

namespace BalticAI.Sovereignty.Api.Policies.Lifecycle;

/// <summary>
/// A bundle's data documents against the schemas its METADATA declares for them (`data.balticai.residency: {...}`).
/// The input check reads rules by those schemas, so a document that strays from its schema fails open as a typo in a
/// rule does: with `"domesticfrom"` for `"domesticFrom"` in residency.json the residency rule never refuses. OPA does
/// not hold data to annotation schemas; the broker does, since a bundle's data are fixed when it is activated.
/// </summary>
public static class DeclaredDataSchemas
{
    /// <summary>The library words its messages process-wide; these are the request schemas' words.</summary>
    static DeclaredDataSchemas() => SchemaErrorWording.Install();

    private static readonly EvaluationOptions Evaluation = new() { OutputFormat = OutputFormat.List };

    /// <summary>
    /// One line per error, naming the document, the place in it and what is wrong. A document the bundle does not
    /// carry is not checked (its rules then read nothing there, as without a schema).
    /// </summary>
    public static List<string> Violations(RegoPolicy policy, JsonObject data)
    {
        var errors = new List<string>();
        var checkedAlready = new HashSet<string>(StringComparer.Ordinal);
        foreach (var block in policy.Annotations().Annotations)
        {
            foreach (var declared in block.Annotations["schemas"]?.AsArray() ?? [])
            {
                if (declared?["definition"] is not JsonObject definition ||
                    declared["path"]?.AsArray().Select(p => p!.GetValue<string>()).ToArray() is not ["data", .. var path] ||
                    !checkedAlready.Add($"{string.Join('.', path)}\u001f{definition.ToJsonString()}") ||
                    At(data, path) is not { } document)
                {
                    continue;
                }

                var name = "data." + string.Join('.', path);
                var declaredAt = $"the schema {block.File}:{block.Line} declares for {name}";
                EvaluationResults results;
                try
                {
                    var schema = JsonSchema.FromText(definition.ToJsonString(), new BuildOptions { SchemaRegistry = new SchemaRegistry() });
                    results = schema.Evaluate(JsonSerializer.SerializeToElement(document), Evaluation);
                }
                catch (Exception e) when (e is JsonException or JsonSchemaException or RefResolutionException)
                {
                    // The broker's own reader takes what it cannot follow as any value; a schema it cannot evaluate
                    // cannot vouch for the data, so the bundle is refused rather than trusted.
                    errors.Add($"{declaredAt} cannot be evaluated: {e.Message}");
                    continue;
                }

                if (results.IsValid)
                {
                    continue;
                }

                var found = new FieldErrors();
                foreach (var detail in (results.Details ?? []).Prepend(results).Where(d => d.Errors is { Count: > 0 }))
                {
                    foreach (var (keyword, message) in detail.Errors!)
                    {
                        SchemaErrorWording.Add(found, detail.InstanceLocation.ToString(), keyword, message);
                    }
                }

                errors.AddRange(found.Entries.SelectMany(e => e.Value.Select(message =>
                    $"{name}{e.Key}: {message} ({declaredAt})")));
            }
        }

        return errors;
    }

    private static JsonNode? At(JsonNode? node, string[] path)
    {
        foreach (var key in path)
        {
            node = node is JsonObject o ? o[key] : null;
        }

        return node;
    }
}
