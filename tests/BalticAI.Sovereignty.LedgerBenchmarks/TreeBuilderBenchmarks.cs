using BalticAI.Sovereignty.Api.Ledger.Tree;
using BalticAI.Sovereignty.Transparency.Leaves;
using BalticAI.Sovereignty.Transparency.Merkle;
using BenchmarkDotNet.Attributes;

namespace BalticAI.Sovereignty.LedgerBenchmarks;

/// <summary>
/// The tree builder's CPU per event inside the broker process: digest the stored data and headers
/// (RFC 8785), encode the leaf, hash it into the tree. Compared with the broker CPU a decision costs (about
/// 1,000 us per event in AppendThroughput), this is the builder's share of the write path's CPU.
/// </summary>
[MemoryDiagnoser]
public class TreeBuilderBenchmarks
{
    // A decision-sized event as jsonb returns it.
    private const string Data = """{"reasons": ["documented-origin", "purpose-compatible", "licence-propagates"], "outcome": "allow-with-obligations", "decisionId": "4f1c2b8e-3f0a-4d5e-9a7b-1c2d3e4f5a6b", "datasetIds": ["0b6f2a5e-9c1d-4e7a-8f00-1234567890ab", "7a1e0c55-2b3d-4c9e-8f11-abcdefabcdef"], "countries": ["PL", "EE"], "obligations": ["report-consumption", "no-export-outside-eea"], "policyVersion": "policies@2026.11.3", "jobId": "9d8c7b6a-5f4e-4d3c-8b2a-190817161514"}""";
    private readonly MerkleAccumulator _tree = new();
    // The actor headers every broker write carries, as jsonb returns them.
    private const string Headers = """{"actor_app": "pllum-trainer", "actor_org": "pl-cyfronet", "actor_country": "PL", "actor_pseudonym": "ps:BFbjczVmSKp83USmlIey8w"}""";
    private readonly EventRow _row = new(42, Guid.NewGuid(), Guid.NewGuid().ToString(), "access_decided", DateTimeOffset.UtcNow, Data, Headers);

    [Benchmark(Description = "tree builder CPU per event: digest data and headers, encode leaf, append to tree")]
    public long AppendOneEvent()
    {
        _tree.AppendLeaf(LedgerTreeBuilder.ToLeaf(_tree.Size, _row).Encode(), static (_, _) => { });
        return _tree.Size;
    }

    /// <summary>The leaf of a ledger begun before format 2, without the headers digest: what covering who acted costs.</summary>
    [Benchmark(Baseline = true, Description = "the same, format 1 leaf (data digest only)")]
    public long AppendOneEventDataOnly()
    {
        _tree.AppendLeaf(LedgerTreeBuilder.ToLeaf(_tree.Size, _row, LedgerLeaf.DataOnly).Encode(), static (_, _) => { });
        return _tree.Size;
    }
}
