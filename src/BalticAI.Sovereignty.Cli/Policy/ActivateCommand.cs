using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Policies.Bundles;
using BalticAI.Sovereignty.Cli.Ledger;

namespace BalticAI.Sovereignty.Cli.Policy;

/// <summary>
/// `balticai policy activate BUNDLE --url URL --token T [--if-match N]`: activates a bundle directory, read as `policy
/// bundle` reads it, or an OPA bundle archive (signed with `policy sign` or `opa sign` for a broker with
/// Policy:BundleSigning), through POST /policies/bundles. With --if-match, only while activation N (an impact report's,
/// or GET /policies/active's ETag) is the last one recorded. Exit codes: 0 activated, 2 bad usage or a bundle the broker
/// refuses (its reasons on stderr), 3 the broker could not be asked or refused the caller, 4 another activation was
/// recorded after activation N (nothing was activated: assess the candidate again).
/// </summary>
public static class ActivateCommand
{
    /// <summary>What the broker answers when the activation --if-match names is no longer in force.</summary>
    public const int Superseded = 4;

    public static Command Create()
    {
        var bundle = new Argument<string>("bundle") { Description = "Bundle directory (.manifest, *.rego, data/*.json), e.g. policies, or an OPA bundle archive (.tar.gz)" };
        var url = new Option<string?>("--url") { Description = "The broker's address", Required = true };
        var token = new Option<string?>("--token") { Description = "Bearer token of a PolicyAdmin" };
        var ifMatch = new Option<long?>("--if-match") { Description = "Activate only while this activation is in force (`policy impact`'s \"activation N\", the ETag of GET /policies/active)" };
        var json = new Option<bool>("--json") { Description = "Print the broker's answer as JSON" };
        var command = new Command("activate", "Activate a bundle directory or archive on the broker; its active grants are then decided again under it")
        {
            bundle, url, token, ifMatch, json,
        };
        command.SetAction(async (parse, ct) =>
        {
            var console = parse.InvocationConfiguration;
            if (Body(parse.GetValue(bundle)!, console.Error) is not { } body || BrokerCall.Address(parse.GetValue(url)!, console.Error) is not { } address)
            {
                return 2;
            }
            using var http = ExportCommand.Client(address.ToString(), parse.GetValue(token));
            return await RunAsync(http, body, parse.GetValue(ifMatch), parse.GetValue(json), console.Output, console.Error, ct);
        });
        return command;
    }

    /// <summary>A directory as the JSON body, a file as the archive it is; null after the reason on <paramref name="error"/>.</summary>
    public static HttpContent? Body(string path, TextWriter error)
    {
        if (Directory.Exists(path))
        {
            return CliBundle.Load(new DirectoryInfo(path), error) is { } bundle ? BrokerCall.Json(bundle) : null;
        }
        if (!File.Exists(path))
        {
            error.WriteLine($"{path}: no such bundle directory or archive");
            return null;
        }
        try
        {
            var archive = new ByteArrayContent(File.ReadAllBytes(path));
            archive.Headers.ContentType = new MediaTypeHeaderValue(OpaBundleMedia.Archive);
            return archive;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine(e.Message);
            return null;
        }
    }

    /// <summary>Activates <paramref name="body"/> on <paramref name="http"/>'s broker; the exit code as documented above.</summary>
    public static async Task<int> RunAsync(HttpClient http, HttpContent body, long? ifMatch, bool json, TextWriter output, TextWriter error, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/policies/bundles") { Content = body };
        if (ifMatch is { } activation)
        {
            request.Headers.IfMatch.Add(new EntityTagHeaderValue($"\"{activation.ToString(CultureInfo.InvariantCulture)}\""));
        }
        if (await BrokerCall.SendAsync(http, request, error, ct) is not { } answer)
        {
            return 3;
        }
        if (answer.Status != HttpStatusCode.Created || answer.Body is not JsonObject activated)
        {
            BrokerCall.WriteProblem((int)answer.Status, answer.Body, error);
            return answer.Status == HttpStatusCode.PreconditionFailed ? Superseded : BrokerCall.RefusesTheBundle(answer.Status) ? 2 : 3;
        }
        if (json)
        {
            output.WriteLine(activated.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            return 0;
        }
        var tests = activated["tests"]!;
        var coverage = tests["coverage"]!.GetValue<double>().ToString("0.##", CultureInfo.InvariantCulture);
        var signed = activated["signature"] is JsonObject signature ? $", signed with key {signature["keyId"]}" : "";
        output.WriteLine($"activated {activated["revision"]} {activated["digest"]} (tests: {tests["passed"]} passed, line coverage {coverage}%{signed})");
        output.WriteLine($"activation {answer.ETag?.Trim('"')}");
        output.WriteLine($"active grants decided under another bundle, now decided again: {activated["grantsToDecideAgain"]} (those it no longer gives as granted are revoked, their training systems told)");
        return 0;
    }
}
