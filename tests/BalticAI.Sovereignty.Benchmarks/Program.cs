using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Benchmarks;
using BalticAI.Sovereignty.Rego;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;

if (args.Contains("--measure"))
{
    // Quick in-process reading without BenchmarkDotNet: mean time and allocation per call, both methods.
    var bench = new AccessDecisionBenchmark();
    bench.Setup();
    Measure("hand-written", () => bench.HandWritten());
    Measure("engine", () => bench.Engine());
    return;
}

static void Measure(string name, Func<bool> op)
{
    for (var i = 0; i < 20_000; i++)
    {
        op();
    }

    const int n = 100_000;
    var before = GC.GetAllocatedBytesForCurrentThread();
    var sw = System.Diagnostics.Stopwatch.StartNew();
    for (var i = 0; i < n; i++)
    {
        op();
    }

    sw.Stop();
    var bytes = (GC.GetAllocatedBytesForCurrentThread() - before) / n;
    Console.WriteLine($"{name}: {sw.Elapsed.TotalMicroseconds / n:0.00} us/op, {bytes} B/op");
}

// `--short` runs a brief job (few iterations) for a quick reading; without it BenchmarkDotNet's defaults apply.
var shortRun = args.Contains("--short");
var config = DefaultConfig.Instance.AddJob(shortRun
    ? Job.ShortRun.WithWarmupCount(3).WithIterationCount(5).WithId("short")
    : Job.Default);
// `--bundle` measures the shipped bundle in policies/ on its fixtures instead of the small access policy;
// `--tokens` the bearer token validation of every request; `--answers` the sealing of kept Idempotency answers;
// `--compile` compiling the shipped bundle with and without the input schema check activation makes.
var rest = args.Where(a => a is not "--short" and not "--bundle" and not "--tokens" and not "--answers" and not "--compile").ToArray();
if (args.Contains("--compile"))
{
    BenchmarkRunner.Run<ShippedBundleCompileBenchmark>(config, rest);
}
else if (args.Contains("--bundle"))
{
    BenchmarkRunner.Run<ShippedBundleBenchmark>(config, rest);
}
else if (args.Contains("--answers"))
{
    BenchmarkRunner.Run<KeptAnswerBenchmark>(config, rest);
}
else if (args.Contains("--tokens"))
{
    BenchmarkRunner.Run<TokenValidationBenchmark>(config, rest);
}
else
{
    BenchmarkRunner.Run<AccessDecisionBenchmark>(config, rest);
}

namespace BalticAI.Sovereignty.Benchmarks
{
    /// <summary>Compile once, evaluate many: the engine against a hand-written C# decision on the same parsed input.</summary>
    [MemoryDiagnoser]
    [MedianColumn]
    public class AccessDecisionBenchmark
    {
        private RegoPolicy policy = null!;
        private RegoInput regoInput = null!;
        private JsonNode jsonInput = null!;
        private JsonNode data = null!;

        [GlobalSetup]
        public void Setup()
        {
            data = JsonNode.Parse(AccessPolicy.Data)!;
            policy = RegoCompiler.Compile([new RegoModule("access.rego", AccessPolicy.Rego)], data);
            jsonInput = JsonNode.Parse(AccessPolicy.Input)!;
            regoInput = RegoInput.From(jsonInput);
            var engine = policy.Evaluate(AccessPolicy.Query, regoInput);
            var hand = AccessPolicy.HandWritten(jsonInput, data);
            if (!engine.IsDefined || engine.Value!["allow"]!.GetValue<bool>() != hand.Allow)
            {
                throw new InvalidOperationException("engine and hand-written decisions differ: " + engine.ToJson());
            }
        }

        [Benchmark(Baseline = true)]
        public bool HandWritten() => AccessPolicy.HandWritten(jsonInput, data).Allow;

        [Benchmark]
        public bool Engine() => policy.Evaluate(AccessPolicy.Query, regoInput).IsDefined;
    }
}
