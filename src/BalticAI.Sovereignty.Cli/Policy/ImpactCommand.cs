using System.CommandLine;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Policies.Bundles;
using BalticAI.Sovereignty.Cli.Ledger;

namespace BalticAI.Sovereignty.Cli.Policy;

/// <summary>
/// `balticai policy impact DIR --url URL --token T`: sends a bundle directory, read as `policy bundle` reads it, to the
/// broker's `POST /policies/impact` and prints which recorded decisions it would have decided otherwise. Exit codes, as a
/// diff's: 0 none would change, 1 some would (or the candidate fails on some, or its activation would revoke an active
/// grant), 2 bad usage or a bundle the broker refuses
/// (its reasons on stderr), 3 the broker could not be asked.
/// </summary>
public static class ImpactCommand
{
    public static Command Create()
    {
        var dir = new Argument<DirectoryInfo>("dir") { Description = "Bundle directory (.manifest, *.rego, data/*.json), e.g. policies" };
        var url = new Option<string?>("--url") { Description = "The broker's address", Required = true };
        var token = new Option<string?>("--token") { Description = "Bearer token of a PolicyAdmin" };
        var limit = new Option<string?>("--limit") { Description = "How many of the newest recorded decisions to take again (1-10000; the broker's default 1000)" };
        var dataset = new Option<string?>("--dataset") { Description = "Only decisions on this dataset (id)" };
        var job = new Option<string?>("--job") { Description = "Only decisions for this training job (id)" };
        var from = new Option<string?>("--from") { Description = "Only decisions from this time (RFC 3339, or a date)" };
        var to = new Option<string?>("--to") { Description = "Only decisions before this time (RFC 3339, or a date)" };
        var json = new Option<bool>("--json") { Description = "Print the broker's report as JSON" };
        var command = new Command("impact", "Ask the broker which recorded decisions a bundle directory would have decided otherwise, before activating it")
        {
            dir, url, token, limit, dataset, job, from, to, json,
        };
        command.SetAction(async (parse, ct) =>
        {
            var console = parse.InvocationConfiguration;
            if (CliBundle.Load(parse.GetValue(dir)!, console.Error) is not { } bundle)
            {
                return 2;
            }
            var query = string.Join('&', new[] { ("limit", limit), ("dataset", dataset), ("job", job), ("from", from), ("to", to) }
                .Where(p => parse.GetValue(p.Item2) is not null)
                .Select(p => $"{p.Item1}={Uri.EscapeDataString(parse.GetValue(p.Item2)!)}"));
            if (BrokerCall.Address(parse.GetValue(url)!, console.Error) is not { } address)
            {
                return 2;
            }
            using var http = ExportCommand.Client(address.ToString(), parse.GetValue(token));
            return await RunAsync(http, bundle, query, parse.GetValue(json), console.Output, console.Error, ct);
        });
        return command;
    }

    /// <summary>Asks <paramref name="http"/>'s broker about <paramref name="bundle"/>; the exit code as documented above.</summary>
    public static async Task<int> RunAsync(HttpClient http, PolicyBundle bundle, string query, bool json, TextWriter output, TextWriter error, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, query.Length == 0 ? "/policies/impact" : "/policies/impact?" + query)
        {
            Content = BrokerCall.Json(bundle),
        };
        if (await BrokerCall.SendAsync(http, request, error, ct) is not { } answer)
        {
            return 3;
        }
        if (answer.Status != HttpStatusCode.OK || answer.Body is not JsonObject report)
        {
            BrokerCall.WriteProblem((int)answer.Status, answer.Body, error);
            return BrokerCall.RefusesTheBundle(answer.Status) ? 2 : 3;
        }
        if (json)
        {
            output.WriteLine(report.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        }
        else
        {
            ImpactText.Write(report, output);
        }
        return report["changes"]!.AsArray().Count > 0 || report["grants"]!["wouldBeRevoked"]!.GetValue<int>() > 0 ? 1 : 0;
    }
}
