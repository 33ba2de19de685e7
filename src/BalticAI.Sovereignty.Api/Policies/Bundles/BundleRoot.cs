using BalticAI.Sovereignty.Rego;

namespace BalticAI.Sovereignty.Api.Policies.Bundles;

/// <summary>
/// Every package of a bundle is `data.balticai` or below it, as OPA's bundle `roots` would require. Activation and
/// the CLI's `policy test` and `policy bundle` ask this one check, so a bundle the CLI passes is not refused later
/// for its packages.
/// </summary>
public static class BundleRoot
{
    public const string Name = PolicyBundleLoader.DataRoot;

    public const string Refusal = $"a module declares a package outside the bundle root data.{Name}";

    /// <summary>
    /// One error per module outside the root, naming the module, its package and the root. In `opa` mode every module
    /// is loaded into an OPA server that other policies may share: a module of `package system.authz` would replace
    /// OPA's own authorisation policy, and one of `package balticai_broker` the broker's pin. The shipped bundle's
    /// tests and helpers (`balticai.access_test`, `balticai.lib`) sit below the root.
    /// </summary>
    public static List<string> Violations(RegoPolicy policy) =>
        policy.Packages()
            .Where(module => module.Package is not [Name, ..])
            .Select(module => $"{module.File}: package {string.Join('.', module.Package)} is outside the bundle root: every package must be data.{Name} or below it")
            .Order(StringComparer.Ordinal)
            .ToList();
}
