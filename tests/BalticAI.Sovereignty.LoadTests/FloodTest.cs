using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace BalticAI.Sovereignty.LoadTests;

/// <summary><paramref name="FloodPerSecond"/>: the flooder's pace over all its connections; 0 = as fast as answers come back.</summary>
public sealed record FloodOptions(TimeSpan Phase, int NormalCallers, double NormalPerSecond, int FloodConnections, double FloodPerSecond)
{
    /// <summary>Unmeasured time at the start of each phase, while connections open and the flood builds up.</summary>
    public static readonly TimeSpan LeadIn = TimeSpan.FromSeconds(1);
}

/// <summary>Latency of the well-behaved callers' decisions in one phase.</summary>
public sealed record NormalResult(long Decisions, long Refused, long Failed, double P50Ms, double P99Ms, double BrokerCpuSeconds);

/// <summary>What the flooder got: admitted decisions, 429s (and whether each said when to retry) and anything else.</summary>
public sealed record FlooderResult(long Requests, long Admitted, long Limited, long LimitedWithRetryAfterAndProblem, long Other, double LimitedP50Ms);

/// <summary>
/// One broker with small per-caller budgets. Phase 1: several training systems ask for decisions at a
/// steady pace well inside their budgets. Phase 2: the same, while one more client application (same
/// organisation, own budget) floods the same endpoint from many connections and ignores Retry-After.
/// </summary>
public static class FloodTest
{
    public const int WriteBurst = 10;
    public const int WritesPerSecond = 5;

    public static readonly IReadOnlyDictionary<string, string> Budgets = new Dictionary<string, string>
    {
        ["RateLimits__Enabled"] = "true",
        ["RateLimits__Writes__TokenLimit"] = $"{WriteBurst}",
        ["RateLimits__Writes__TokensPerPeriod"] = $"{WritesPerSecond}",
        ["RateLimits__Writes__ReplenishmentPeriod"] = "00:00:01",
    };

    public static async Task<(NormalResult Baseline, NormalResult Flooded, FlooderResult Flooder)> RunAsync(
        SeededBroker broker, Tenants tenants, FloodOptions options, CancellationToken ct)
    {
        var normal = Enumerable.Range(1, options.NormalCallers)
            .Select(i => tenants.Bearer(Tenants.PlCyfronet, "TrainingSystem", $"cyfronet-trainer-{i}"))
            .ToArray();
        var flooderAuth = tenants.Bearer(Tenants.PlCyfronet, "TrainingSystem", "cyfronet-runaway-pipeline");

        var baseline = await NormalPhaseAsync(broker, normal, options, ct);
        using var flood = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var flooderHttp = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
        {
            BaseAddress = broker.Http.BaseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };
        var flooder = FloodAsync(flooderHttp, flooderAuth, broker.World, options, flood.Token);
        var flooded = await NormalPhaseAsync(broker, normal, options, ct);
        await flood.CancelAsync();
        return (baseline, flooded, await flooder);
    }

    private static async Task<NormalResult> NormalPhaseAsync(SeededBroker broker, AuthenticationHeaderValue[] callers, FloodOptions options, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var stopAt = FloodOptions.LeadIn + options.Phase;
        var interval = TimeSpan.FromSeconds(1 / options.NormalPerSecond);
        var cpuBefore = TimeSpan.Zero;
        var cpuTimer = Task.Run(async () =>
        {
            await Task.Delay(FloodOptions.LeadIn, ct);
            cpuBefore = broker.CpuTime;
        }, ct);
        var perCaller = await Task.WhenAll(callers.Select((auth, c) => Task.Run(async () =>
        {
            var latencies = new List<long>();
            long refused = 0, failed = 0;
            for (var n = 0; clock.Elapsed < stopAt && !ct.IsCancellationRequested; n++)
            {
                var started = clock.Elapsed;
                var status = await DecideAsync(broker.Http, auth, broker.World, c + n, ct);
                var finished = clock.Elapsed;
                if (started >= FloodOptions.LeadIn && finished <= stopAt)
                {
                    switch (status.Code)
                    {
                        case HttpStatusCode.OK: latencies.Add((finished - started).Ticks); break;
                        case HttpStatusCode.TooManyRequests: refused++; break;
                        default: failed++; break;
                    }
                }
                // A steady pace: the next request leaves on its slot, whatever this one took.
                var wait = interval * (n + 1) - clock.Elapsed;
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, ct);
                }
            }
            return (latencies, refused, failed);
        }, ct)));
        await cpuTimer;
        var cpu = broker.CpuTime - cpuBefore;
        var all = perCaller.SelectMany(c => c.latencies).ToArray();
        Array.Sort(all);
        return new NormalResult(all.Length, perCaller.Sum(c => c.refused), perCaller.Sum(c => c.failed),
            ClosedLoop.Percentile(all, 0.50), ClosedLoop.Percentile(all, 0.99), cpu.TotalSeconds);
    }

    /// <summary>
    /// Paced, the flooder is an open loop (a runaway pipeline sending at its own rate, as one on another
    /// machine would): on two shared cores a closed loop turns every cheaper refusal into more requests,
    /// so it measures the load generator's appetite rather than what the broker does for other callers.
    /// </summary>
    private static async Task<FlooderResult> FloodAsync(HttpClient http, AuthenticationHeaderValue auth, World world, FloodOptions options, CancellationToken stop)
    {
        var clock = Stopwatch.StartNew();
        var connections = options.FloodConnections;
        var interval = options.FloodPerSecond > 0 ? TimeSpan.FromSeconds(connections / options.FloodPerSecond) : TimeSpan.Zero;
        var perConnection = await Task.WhenAll(Enumerable.Range(0, connections).Select(c => Task.Run(async () =>
        {
            long requests = 0, admitted = 0, limited = 0, wellFormed = 0, other = 0;
            var limitedLatencies = new List<long>();
            var offset = interval * c / connections;
            while (!stop.IsCancellationRequested)
            {
                (HttpStatusCode Code, bool RetryAfterAndProblem) status;
                try
                {
                    var due = offset + interval * requests;
                    if (due > clock.Elapsed)
                    {
                        await Task.Delay(due - clock.Elapsed, stop);
                    }
                    var started = clock.Elapsed;
                    status = await DecideAsync(http, auth, world, c + (int)requests, stop);
                    if (status.Code == HttpStatusCode.TooManyRequests)
                    {
                        limitedLatencies.Add((clock.Elapsed - started).Ticks);
                    }
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    break;
                }
                requests++;
                switch (status.Code)
                {
                    case HttpStatusCode.OK: admitted++; break;
                    case HttpStatusCode.TooManyRequests:
                        limited++;
                        wellFormed += status.RetryAfterAndProblem ? 1 : 0;
                        break;
                    default: other++; break;
                }
            }
            return (requests, admitted, limited, wellFormed, other, limitedLatencies);
        })));
        var limitedAll = perConnection.SelectMany(c => c.limitedLatencies).ToArray();
        Array.Sort(limitedAll);
        return new FlooderResult(perConnection.Sum(c => c.requests), perConnection.Sum(c => c.admitted), perConnection.Sum(c => c.limited),
            perConnection.Sum(c => c.wellFormed), perConnection.Sum(c => c.other), ClosedLoop.Percentile(limitedAll, 0.50));
    }

    private static async Task<(HttpStatusCode Code, bool RetryAfterAndProblem)> DecideAsync(HttpClient http, AuthenticationHeaderValue auth, World world, int n, CancellationToken ct)
    {
        var dataset = world.Datasets[n % world.Datasets.Count];
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/training-jobs/{world.JobId}/access-requests")
        {
            Content = new StringContent($$"""{"datasets":[{"datasetId":"{{dataset}}","version":1}]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = auth;
        try
        {
            using var response = await http.SendAsync(request, ct);
            await response.Content.LoadIntoBufferAsync(ct);
            var wellFormed = response.Headers.RetryAfter?.Delta > TimeSpan.Zero
                && response.Content.Headers.ContentType?.MediaType == "application/problem+json";
            return (response.StatusCode, wellFormed);
        }
        catch (HttpRequestException)
        {
            return (0, false);
        }
    }
}
