using BenchmarkDotNet.Running;

// dotnet run -c Release -- --filter '*Verify*' --job short   (see docs/performance.md, "Ledger")
BenchmarkSwitcher.FromAssembly(typeof(BalticAI.Sovereignty.LedgerBenchmarks.VerifyBenchmarks).Assembly).Run(args);
