using Azure.Core;
using Azure.Identity;

namespace BalticAI.Sovereignty.Security.KeyVault;

public static class KeyVaultCredentials
{
    /// <summary>The values of <see cref="KeyVaultSigningOptions.Credential"/> that <see cref="Create"/> tells apart.</summary>
    public static IReadOnlyList<string> Names { get; } = ["Default", "ManagedIdentity", "WorkloadIdentity"];

    /// <summary>
    /// The credential named by <see cref="KeyVaultSigningOptions.Credential"/>. No secret is ever read from
    /// configuration: managed identity on Azure, workload identity on Kubernetes, the developer's login otherwise.
    /// </summary>
    public static TokenCredential Create(KeyVaultSigningOptions options) => options.Credential switch
    {
        "ManagedIdentity" => new ManagedIdentityCredential(string.IsNullOrEmpty(options.ManagedIdentityClientId)
            ? ManagedIdentityId.SystemAssigned
            : ManagedIdentityId.FromUserAssignedClientId(options.ManagedIdentityClientId)),
        "WorkloadIdentity" => new WorkloadIdentityCredential(),
        _ => new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = options.ManagedIdentityClientId }),
    };
}
