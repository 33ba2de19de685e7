using BalticAI.Sovereignty.Api.Policies.Bundles;
using BalticAI.Sovereignty.Api.Policies.Lifecycle;
using BalticAI.Sovereignty.Rego;
using BenchmarkDotNet.Attributes;

namespace BalticAI.Sovereignty.Benchmarks;

/// <summary>
/// What checking the shipped bundle (against the input schema, and its METADATA blocks with the schemas they declare)
/// adds to compiling it, as activation, `policy test` and `policy bundle` do: the compile alone is the baseline.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class ShippedBundleCompileBenchmark
{
    private List<RegoModule> _modules = null!;
    private PolicyBundle _bundle = null!;
    private RegoInputSchema _schema = null!;

    [GlobalSetup]
    public void Setup()
    {
        var root = ShippedBundleBenchmark.RepositoryRoot();
        _bundle = PolicyBundleLoader.Load(Path.Combine(root, "policies"));
        _modules = [.. _bundle.Modules.Select(m => new RegoModule(m.Path, m.Source))];
        _schema = RegoInputSchema.Parse(File.ReadAllText(Path.Combine(root, "schemas", "policy-input.schema.json")));
    }

    [Benchmark(Baseline = true)]
    public RegoPolicy Compile() => RegoCompiler.Compile(_modules, _bundle.Data, RegoOptions.Default);

    [Benchmark]
    public RegoPolicy CompileAgainstInputSchema() => RegoCompiler.Compile(_modules, _bundle.Data, RegoOptions.Default, _schema);

    /// <summary>Every check activation makes before the tests: the checked compile, the root, and the data against their declared schemas.</summary>
    [Benchmark]
    public RegoPolicy ValidateAsActivation() => BundleValidation.Compile(_bundle, RegoOptions.Default);
}
