using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Security;

namespace BalticAI.Sovereignty.ProvenanceBenchmarks;

public sealed record Latency(double Median, double P95, int Items);

/// <summary>Times one GET route, one request after another over a kept-alive connection, after a warm-up.</summary>
public sealed class QueryTimer(Uri baseAddress, string repo, int samples)
{
    public const string EuAiOffice = "5d1c6c1e-0a8f-4a36-9a5e-000000000501";
    public const string LtVdai = "5d1c6c1e-0a8f-4a36-9a5e-000000000302";
    private const int WarmUp = 10;

    // The broker creates the development issuer's key on its first start; read it once the broker is up.
    private readonly Lazy<DevelopmentIssuer> _issuer = new(() => new DevelopmentIssuer(
        EcPrivateKeyFile.LoadOrCreate(Path.Combine(repo, DevelopmentIssuer.DefaultKeyPath), TimeProvider.System),
        DevelopmentIssuer.DefaultIssuer, DevelopmentIssuer.DefaultAudience, TimeProvider.System));

    /// <summary>Times GET <paramref name="path"/>; the answer's <paramref name="itemsProperty"/> array is counted as its items.</summary>
    public async Task<Latency> MeasureAsync(string path, string tenant, string role, string itemsProperty = "items")
    {
        using var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            _issuer.Value.MintToken(new TokenRequest(tenant, [role]) { Lifetime = TimeSpan.FromHours(1) }));
        var items = 0;
        var times = new List<double>(samples);
        for (var i = 0; i < WarmUp + samples; i++)
        {
            var clock = Stopwatch.StartNew();
            using var response = await http.GetAsync(path);
            var body = await response.Content.ReadAsStringAsync();
            clock.Stop();
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"GET {path} answered {(int)response.StatusCode}: {body}");
            }
            if (i >= WarmUp)
            {
                times.Add(clock.Elapsed.TotalMilliseconds);
            }
            items = JsonNode.Parse(body)?[itemsProperty]?.AsArray().Count ?? 0;
        }
        times.Sort();
        return new Latency(times[times.Count / 2], times[(int)(times.Count * 0.95)], items);
    }
}
