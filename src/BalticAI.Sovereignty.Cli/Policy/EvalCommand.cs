using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Rego;

namespace BalticAI.Sovereignty.Cli.Policy;

/// <summary>`policy eval -d DIR -i input.json QUERY`: prints results in `opa eval`'s JSON shape.</summary>
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
        var cmd = new Command("eval", "Evaluate a Rego query") { query, data, input };
        cmd.SetAction(parse => Run(parse.GetValue(query)!, parse.GetValue(data) ?? [], parse.GetValue(input)));
        return cmd;
    }

    private static int Run(string query, string[] data, FileInfo? inputFile)
    {
        try
        {
            var policy = PolicyLoader.Load(data);
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

            Console.WriteLine(output.ToJsonString(Pretty));
            return 0;
        }
        catch (DataLoadException e)
        {
            var errors = new JsonArray();
            foreach (var err in e.Errors)
            {
                errors.Add(new JsonObject { ["message"] = err });
            }

            Console.WriteLine(new JsonObject { ["errors"] = errors }.ToJsonString(Pretty));
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

            Console.WriteLine(new JsonObject { ["errors"] = errors }.ToJsonString(Pretty));
            return 1;
        }
    }
}
