using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Ledger;
using BalticAI.Sovereignty.Api.Policies.Bundles;
using BalticAI.Sovereignty.Api.Policies.Signing;
using BalticAI.Sovereignty.Contracts.Feeds;

namespace BalticAI.Sovereignty.Api.Policies.Lifecycle;

/// <summary>
/// A bundle became the one every decision is evaluated under. Sources are kept whole for replay. <see cref="Tests"/> is
/// what its tests showed at activation; null in activations recorded before it was kept. <see cref="Signature"/> is the
/// signature the archive was verified with (`Policy:BundleSigning`); null for an unsigned bundle.
/// </summary>
public sealed record PolicyBundleActivated(
    string Revision, string Digest, IReadOnlyList<BundleModule> Modules, JsonObject Data, string Engine, BundleTests? Tests = null, BundleSignature? Signature = null)
    : ILedgerEvent
{
    /// <summary>Every country's decisions are taken under it (and its data hold each country's rules), so every regulator receives it.</summary>
    public IReadOnlyCollection<string> Countries => FeedNames.Countries;
}

/// <summary>Every bundle ever activated, by digest, so a decision can be replayed under its own bundle.</summary>
public sealed class RecordedPolicyBundle
{
    public required string Id { get; init; }
    public required string Revision { get; init; }
    public required IReadOnlyList<BundleModule> Modules { get; init; }
    public required JsonObject Data { get; init; }
    public required DateTimeOffset ActivatedAt { get; init; }

    /// <summary>What its tests showed when it was last activated; null for a bundle last activated before this was kept.</summary>
    public BundleTests? Tests { get; init; }

    /// <summary>The signature it was verified with at its last activation; null when that activation was unsigned.</summary>
    public BundleSignature? Signature { get; init; }

    public PolicyBundle ToBundle() => new(Revision, Modules, Data);
}

/// <summary>Which recorded bundle is active; one document, rewritten on each activation.</summary>
public sealed class ActivePolicyPointer
{
    public const string SingletonId = "active";
    public string Id { get; init; } = SingletonId;
    public required string Digest { get; init; }
    public required long LedgerVersion { get; init; }
}
