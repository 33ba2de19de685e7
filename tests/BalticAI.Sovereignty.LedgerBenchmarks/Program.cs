using BalticAI.Sovereignty.LedgerBenchmarks;
using BenchmarkDotNet.Running;

// dotnet run -c Release -- --filter '*Verify*' --job short      BenchmarkDotNet (verify, proofs)
// dotnet run -c Release -- throughput 20 8 5                     append throughput with and without the tree, 5 pairs
if (args.Length > 0 && args[0] == "throughput")
{
    await AppendThroughput.RunAsync(args.Length > 1 ? int.Parse(args[1]) : 20, args.Length > 2 ? int.Parse(args[2]) : 8, args.Length > 3 ? int.Parse(args[3]) : 5);
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(VerifyBenchmarks).Assembly).Run(args);
