using System.CommandLine;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Transparency.Export;

namespace BalticAI.Sovereignty.Cli.Ledger;

/// <summary>`balticai ledger export`: from a live broker's public API, or straight from PostgreSQL.</summary>
public static class ExportCommand
{
    public static Command Create()
    {
        var url = new Option<string>("--url") { Description = "Broker base URL", DefaultValueFactory = _ => "http://127.0.0.1:5080" };
        var token = new Option<string?>("--token") { Description = "Bearer token; with the Auditor role the export holds event data" };
        var output = new Option<FileInfo>("--output", "-o") { Description = "Export file (NDJSON)", Required = true };
        var connection = new Option<string?>("--connection") { Description = "Read PostgreSQL directly with this connection string instead of the API" };
        var schema = new Option<string>("--schema") { Description = "Marten schema (with --connection)", DefaultValueFactory = _ => "balticai" };
        var jwks = new Option<FileInfo?>("--jwks") { Description = "JWKS file of the log's keys (with --connection; default: fetched from --url)" };

        var command = new Command("export", "Write the ledger's entries, checkpoints and keys to a file") { url, token, output, connection, schema, jwks };
        command.SetAction(async (parse, ct) =>
        {
            using var http = Client(parse.GetValue(url)!, parse.GetValue(token));
            var file = parse.GetValue(output)!;
            await using var stream = file.Create();
            long entries;
            if (parse.GetValue(connection) is { } connectionString)
            {
                var jwksJson = parse.GetValue(jwks) is { } jwksFile
                    ? await File.ReadAllTextAsync(jwksFile.FullName, ct)
                    : await http.GetStringAsync("/.well-known/jwks.json", ct);
                var keys = JsonNode.Parse(jwksJson)!["keys"]!.AsArray();
                entries = await DatabaseExporter.ExportAsync(connectionString, parse.GetValue(schema)!, keys.Select(k => k!.AsObject()).ToList(), stream, ct);
            }
            else
            {
                entries = await LedgerExporter.ExportAsync(http, stream, null, ct);
            }
            Console.Error.WriteLine($"exported {entries} entries to {file.FullName}");
            return 0;
        });
        return command;
    }

    internal static HttpClient Client(string url, string? token)
    {
        var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(5) };
        if (token is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return http;
    }
}
