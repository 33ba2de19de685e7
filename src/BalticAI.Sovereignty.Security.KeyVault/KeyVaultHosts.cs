namespace BalticAI.Sovereignty.Security.KeyVault;

/// <summary>What serves the keys: a key vault (software- or HSM-protected keys) or a Managed HSM (HSM-protected only).</summary>
public enum KeyVaultKind
{
    Vault,
    ManagedHsm,
}

/// <summary>
/// The DNS zones in which Azure names a key vault or a Managed HSM by its host's first label, in the public, China and
/// US Government clouds (the zones of `az cloud show`: keyvaultDns and mhsmDns). Another host, a proxy or a test vault
/// on 127.0.0.1, names neither: it is treated as a key vault and its name is not checked.
/// </summary>
public static class KeyVaultHosts
{
    private static readonly (string Zone, KeyVaultKind Kind)[] Zones =
    [
        (".vault.azure.net", KeyVaultKind.Vault),
        (".vault.azure.cn", KeyVaultKind.Vault),
        (".vault.usgovcloudapi.net", KeyVaultKind.Vault),
        (".managedhsm.azure.net", KeyVaultKind.ManagedHsm),
        (".managedhsm.azure.cn", KeyVaultKind.ManagedHsm),
        (".managedhsm.usgovcloudapi.net", KeyVaultKind.ManagedHsm),
    ];

    /// <summary>The vault or Managed HSM <paramref name="host"/> names, and which it is; null for any other host.</summary>
    public static (KeyVaultKind Kind, string Name)? Named(string host)
    {
        foreach (var (zone, kind) in Zones)
        {
            if (host.EndsWith(zone, StringComparison.OrdinalIgnoreCase))
            {
                return (kind, host[..^zone.Length]);
            }
        }
        return null;
    }
}
