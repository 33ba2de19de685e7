using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace BalticAI.Sovereignty.LoadTests;

public sealed record LoopResult(int Clients, long Decisions, long Errors, double Seconds, double P50Ms, double P99Ms)
{
    public double PerSecond => Decisions / Seconds;

    /// <summary>Requests answered 200 during the whole point, warm-up included.</summary>
    public long Answered { get; init; }

    /// <summary>Broker CPU per answered request over the whole point, warm-up and daemon catch-up included.</summary>
    public double CpuMsPerDecision { get; init; }

    /// <summary>The whole machine's busy CPU (broker, PostgreSQL, RabbitMQ, generator) per answered request, same span.</summary>
    public double MachineCpuMsPerDecision { get; init; }

    /// <summary>WAL flushes of the whole server per answered request (daemon and idle broker included), same span.</summary>
    public double WalFlushesPerDecision { get; init; }

    /// <summary>How long after the last answer the daemon had processed every event of the point.</summary>
    public TimeSpan DaemonCatchUp { get; init; }
}

/// <summary>
/// A closed loop: each client sends its next request as soon as the last one is answered, so throughput
/// and latency come from the same run. Only answers completed after the warm-up count.
/// </summary>
public static class ClosedLoop
{
    public static async Task<LoopResult> RunAsync(HttpClient http, AuthenticationHeaderValue auth, World world, int clients,
        TimeSpan warmUp, TimeSpan duration, bool idempotencyKeys, CancellationToken ct)
    {
        // Bodies are built once so the generator spends its (shared) CPU on sending, not on JSON.
        var bodies = world.Datasets
            .Select(d => Encoding.UTF8.GetBytes($$"""{"datasets":[{"datasetId":"{{d}}","version":1}]}"""))
            .ToArray();
        var path = $"/training-jobs/{world.JobId}/access-requests";
        var next = -1L;
        var answered = 0L;
        var clock = Stopwatch.StartNew();
        var measureFrom = warmUp;
        var stopAt = warmUp + duration;
        var perClient = await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
        {
            var latencies = new List<long>();
            long errors = 0;
            while (clock.Elapsed < stopAt && !ct.IsCancellationRequested)
            {
                var body = bodies[Interlocked.Increment(ref next) % bodies.Length];
                using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                request.Headers.Authorization = auth;
                if (idempotencyKeys)
                {
                    request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
                }
                var started = clock.Elapsed;
                var ok = false;
                try
                {
                    using var response = await http.SendAsync(request, ct);
                    await response.Content.LoadIntoBufferAsync(ct);
                    ok = response.StatusCode == HttpStatusCode.OK;
                }
                catch (HttpRequestException)
                {
                }
                var finished = clock.Elapsed;
                if (ok)
                {
                    Interlocked.Increment(ref answered);
                }
                if (finished < measureFrom || finished > stopAt)
                {
                    continue;
                }
                if (ok)
                {
                    latencies.Add((finished - started).Ticks);
                }
                else
                {
                    errors++;
                }
            }
            return (latencies, errors);
        }, ct)));
        var all = perClient.SelectMany(c => c.latencies).ToArray();
        Array.Sort(all);
        return new LoopResult(clients, all.Length, perClient.Sum(c => c.errors), duration.TotalSeconds,
            Percentile(all, 0.50), Percentile(all, 0.99)) { Answered = answered };
    }

    /// <summary>Nearest-rank percentile of sorted ticks, in milliseconds.</summary>
    public static double Percentile(long[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : TimeSpan.FromTicks(sorted[Math.Max(0, (int)Math.Ceiling(p * sorted.Length) - 1)]).TotalMilliseconds;
}
