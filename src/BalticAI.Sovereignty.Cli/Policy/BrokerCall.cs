using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Policies.ActivatingBundle;
using BalticAI.Sovereignty.Api.Policies.Bundles;

namespace BalticAI.Sovereignty.Cli.Policy;

/// <summary>How the policy commands that ask a broker send a bundle and report what it answered.</summary>
internal static class BrokerCall
{
    /// <summary>The body of POST /policies/bundles and /policies/impact for a bundle read from a directory.</summary>
    public static HttpContent Json(PolicyBundle bundle) =>
        JsonContent.Create(new ActivateBundleEndpoint.ActivateBundle(bundle.Revision, bundle.Modules, bundle.Data[PolicyBundleLoader.DataRoot]?.AsObject()));

    /// <summary>The broker's address, or null after the reason on <paramref name="error"/>.</summary>
    public static Uri? Address(string url, TextWriter error)
    {
        try
        {
            return new Uri(url, UriKind.Absolute);
        }
        catch (UriFormatException e)
        {
            error.WriteLine($"--url: {e.Message}");
            return null;
        }
    }

    /// <summary>A broker's answer: its status, its JSON body (null when it had none) and its ETag (null when it sent none).</summary>
    public sealed record Answer(HttpStatusCode Status, JsonNode? Body, string? ETag);

    /// <summary>Sends <paramref name="request"/>; null after "the broker could not be asked" on <paramref name="error"/>.</summary>
    public static async Task<Answer?> SendAsync(HttpClient http, HttpRequestMessage request, TextWriter error, CancellationToken ct)
    {
        try
        {
            using var response = await http.SendAsync(request, ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            return new Answer(response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text), response.Headers.ETag?.Tag);
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            error.WriteLine($"the broker could not be asked: {e.Message}");
            return null;
        }
    }

    /// <summary>A problem answer (RFC 9457) as a PolicyAdmin reads it: status and title, detail, then each field's reasons.</summary>
    public static void WriteProblem(int status, JsonNode? problem, TextWriter error)
    {
        error.WriteLine($"{status} {problem?["title"]?.GetValue<string>() ?? "(no problem details)"}");
        if (problem?["detail"]?.GetValue<string>() is { } detail)
        {
            error.WriteLine(detail);
        }
        foreach (var (field, reasons) in problem?["errors"]?.AsObject() ?? [])
        {
            foreach (var reason in reasons?.AsArray() ?? [])
            {
                error.WriteLine($"  {field}: {reason}");
            }
        }
    }

    /// <summary>Statuses that refuse the bundle or the request itself, not the caller or the broker's state.</summary>
    public static bool RefusesTheBundle(HttpStatusCode status) => (int)status is 400 or 409 or 413 or 415 or 422;
}
