using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Security;

namespace BalticAI.Sovereignty.Api.Policies.Bundles;

/// <summary>One Rego module of a bundle, by its path inside the bundle.</summary>
public sealed record BundleModule(string Path, string Source);

/// <summary>
/// A policy bundle exactly as recorded in the ledger: module sources and data. Its digest covers
/// both, so a recorded decision names precisely the policy text it was decided under.
/// </summary>
public sealed record PolicyBundle(string Revision, IReadOnlyList<BundleModule> Modules, JsonObject Data)
{
    /// <summary>The query every access decision evaluates.</summary>
    public const string DecisionQuery = "data.balticai.access.decision";

    public string Digest { get; } = ComputeDigest(Modules, Data);

    /// <summary>sha256 over the RFC 8785 form of {modules: {path: source}, data}.</summary>
    public static string ComputeDigest(IReadOnlyList<BundleModule> modules, JsonObject data)
    {
        var modulesNode = new JsonObject();
        foreach (var module in modules.OrderBy(m => m.Path, StringComparer.Ordinal))
        {
            modulesNode[module.Path] = module.Source;
        }
        var document = new JsonObject { ["modules"] = modulesNode, ["data"] = data.DeepClone() };
        return CanonicalJson.Sha256(document);
    }

    /// <summary>Short, stable text of the digest for logs and headers.</summary>
    public override string ToString() => $"{Revision} ({Digest[..19]})";

    public static string Sha256Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
