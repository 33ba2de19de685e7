using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Rego;

namespace BalticAI.Sovereignty.Cli.Policy;

/// <summary>
/// `policy eval -d DIR -i input.json [-s schema.json] QUERY`: prints results in `opa eval`'s JSON shape. With a schema
/// for the input, as `opa eval -s FILE`, a module reading what no such input has is a rego_type_error.
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
        var schema = new Option<FileInfo?>("--schema", "-s")
        {
            Description = "JSON Schema of the input (e.g. schemas/policy-input.schema.json): references no such input has are type errors",
        };
        var cmd = new Command("eval", "Evaluate a Rego query") { query, data, input, schema };
        cmd.SetAction(parse => Run(parse.GetValue(query)!, parse.GetValue(data) ?? [], parse.GetValue(input), parse.GetValue(schema), parse.InvocationConfiguration.Output));
        return cmd;
    }

    private static int Run(string query, string[] data, FileInfo? inputFile, FileInfo? schemaFile, TextWriter console)
    {
        try
        {
            var schema = schemaFile is null ? null : ReadSchema(schemaFile);
            var policy = PolicyLoader.Load(data, inputSchema: schema);
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

    /// <exception cref="SchemaLoadException">The file cannot be read, or holds no JSON Schema object.</exception>
    private static RegoInputSchema ReadSchema(FileInfo file)
    {
        try
        {
            return RegoInputSchema.Parse(File.ReadAllText(file.FullName));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            throw new SchemaLoadException($"{file.Name}: not a JSON Schema for the input: {e.Message}");
        }
    }

    private sealed class SchemaLoadException(string message) : Exception(message);
}
