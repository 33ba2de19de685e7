using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Rego;

namespace BalticAI.Sovereignty.Cli.Policy;

/// <summary>
/// `policy eval -d DIR -i input.json [-s schema.json | -s DIR] QUERY`: prints results in `opa eval`'s JSON shape. With a
/// schema for the input, as `opa eval -s FILE`, a module reading what no such input has is a rego_type_error. With a
/// directory, as `opa eval -s DIR`, its files are the schemas METADATA blocks name (`schema.x` for x.json) and its
/// input.json, if any, the input's.
/// </summary>
internal static class EvalCommand
{
    private static readonly JsonSerializerOptions Pretty = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static Command Create()
    {
        var query = new Argument<string>("query") { Description = "Rego query, e.g. data.example.allow" };
        var data = new Option<string[]>("--data", "-d") { Description = "Policy/data file or directory (repeatable)" };
        var input = new Option<FileInfo?>("--input", "-i") { Description = "Input JSON file" };
        var schema = new Option<string?>("--schema", "-s")
        {
            Description = "JSON Schema of the input (e.g. schemas/policy-input.schema.json), or a directory of schemas that METADATA names as schema.<file> (its input.json the input's): references no such document has are type errors",
        };
        var cmd = new Command("eval", "Evaluate a Rego query") { query, data, input, schema };
        cmd.SetAction(parse => Run(parse.GetValue(query)!, parse.GetValue(data) ?? [], parse.GetValue(input), parse.GetValue(schema), parse.InvocationConfiguration.Output));
        return cmd;
    }

    private static int Run(string query, string[] data, FileInfo? inputFile, string? schemaPath, TextWriter console)
    {
        try
        {
            var (schema, schemas) = schemaPath is null ? (null, RegoSchemaSet.Empty) : ReadSchemas(schemaPath);
            var policy = PolicyLoader.Load(data, inputSchema: schema, schemas: schemas);
            var input = inputFile == null ? null : JsonNode.Parse(File.ReadAllText(inputFile.FullName));
            var output = new JsonObject();
            var results = new JsonArray();
            foreach (var row in policy.QueryWithExpressions(query, input))
            {
                results.Add(row);
            }

            if (results.Count > 0)
            {
                output["result"] = results;
            }

            console.WriteLine(output.ToJsonString(Pretty));
            return 0;
        }
        catch (DataLoadException e)
        {
            var errors = new JsonArray();
            foreach (var err in e.Errors)
            {
                errors.Add(new JsonObject { ["message"] = err });
            }

            console.WriteLine(new JsonObject { ["errors"] = errors }.ToJsonString(Pretty));
            return 1;
        }
        catch (SchemaLoadException e)
        {
            console.WriteLine(new JsonObject { ["errors"] = new JsonArray(new JsonObject { ["message"] = e.Message }) }.ToJsonString(Pretty));
            return 1;
        }
        catch (RegoException e)
        {
            var errors = new JsonArray();
            foreach (var err in e.Errors)
            {
                errors.Add(new JsonObject
                {
                    ["code"] = err.Code,
                    ["message"] = err.Message,
                    ["location"] = err.File == null ? null : new JsonObject { ["file"] = err.File, ["row"] = err.Line, ["col"] = err.Column },
                });
            }

            console.WriteLine(new JsonObject { ["errors"] = errors }.ToJsonString(Pretty));
            return 1;
        }
    }

    /// <summary>
    /// As OPA's loader reads -s: a file is the input's schema and `schema` itself; a directory gives each file as
    /// `schema.` and its path, and the input's schema is its input.json.
    /// </summary>
    /// <exception cref="SchemaLoadException">A file cannot be read, or holds no JSON Schema object.</exception>
    private static (RegoInputSchema? Input, RegoSchemaSet Schemas) ReadSchemas(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                var set = RegoSchemaSet.FromDirectory(path);
                return (set.Find(["input"]), set);
            }

            var schema = RegoInputSchema.Parse(File.ReadAllText(path));
            return (schema, RegoSchemaSet.Empty.With([], schema));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            throw new SchemaLoadException($"{Path.GetFileName(path)}: not a JSON Schema for the input: {e.Message}");
        }
    }

    private sealed class SchemaLoadException(string message) : Exception(message);
}
