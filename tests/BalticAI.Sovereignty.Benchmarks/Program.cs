using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Benchmarks;
using BalticAI.Sovereignty.Rego;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;

// `--short` runs a brief job (few iterations) for a quick reading; without it BenchmarkDotNet's defaults apply.
var shortRun = args.Contains("--short");
var config = DefaultConfig.Instance.AddJob(shortRun
    ? Job.ShortRun.WithWarmupCount(3).WithIterationCount(5).WithId("short")
    : Job.Default);
BenchmarkRunner.Run<AccessDecisionBenchmark>(config, args.Where(a => a != "--short").ToArray());

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
