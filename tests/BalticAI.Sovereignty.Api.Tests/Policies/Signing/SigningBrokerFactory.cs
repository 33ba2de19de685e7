using System.Security.Cryptography;

namespace BalticAI.Sovereignty.Api.Tests.Policies.Signing;

/// <summary>A broker that activates bundle archives signed ES256 by <see cref="Key"/> (`policy-board`) with scope `balticai`.</summary>
public sealed class SigningBrokerFactory : Fixtures.BrokerFactory
{
    public const string KeyId = "policy-board";

    public const string Scope = "balticai";

    public ECDsa Key { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    protected override IDictionary<string, string?> Settings
    {
        get
        {
            var settings = base.Settings;
            settings["Policy:BundleSigning:Keys:0:Id"] = KeyId;
            settings["Policy:BundleSigning:Keys:0:Algorithm"] = "ES256";
            settings["Policy:BundleSigning:Keys:0:PublicKey"] = Key.ExportSubjectPublicKeyInfoPem();
            settings["Policy:BundleSigning:Scope"] = Scope;
            return settings;
        }
    }

    public override async ValueTask DisposeAsync()
    {
        Key.Dispose();
        await base.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
