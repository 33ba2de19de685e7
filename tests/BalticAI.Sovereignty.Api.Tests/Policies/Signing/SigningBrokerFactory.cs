using System.Security.Cryptography;
using System.Text;
using BalticAI.Sovereignty.Api.Policies.ActivatingBundle;
using BalticAI.Sovereignty.Api.Policies.Signing;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;
using static BalticAI.Sovereignty.Api.Tests.Policies.BundleArchives;

namespace BalticAI.Sovereignty.Api.Tests.Policies.Signing;

/// <summary>
/// A broker that activates bundle archives signed ES256 by <see cref="Key"/> (`policy-board`) with scope `balticai`. Its
/// fresh ledger records first the test bundle signed so (<see cref="InitialRevision"/>, `Policy:InitialBundle`), unless
/// the test gives another initial archive, or none.
/// </summary>
public sealed class SigningBrokerFactory : Fixtures.BrokerFactory
{
    public const string KeyId = "policy-board";

    public const string Scope = "balticai";

    public const string InitialRevision = "signed-initial";

    private readonly bool _hasInitialBundle;

    public SigningBrokerFactory()
        : this(key => Signed(Files(InitialRevision), key, KeyId, Scope))
    {
    }

    /// <param name="initialArchive">What `Policy:InitialBundle` holds, given the board's key; null for no such setting.</param>
    internal SigningBrokerFactory(Func<ECDsa, byte[]?> initialArchive)
    {
        if (initialArchive(Key) is { } archive)
        {
            Directory.CreateDirectory(DataDirectory);
            File.WriteAllBytes(InitialBundlePath, archive);
            _hasInitialBundle = true;
        }
    }

    public ECDsa Key { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public string InitialBundlePath => Path.Combine(DataDirectory, "initial-bundle.tar.gz");

    protected override IDictionary<string, string?> Settings
    {
        get
        {
            var settings = base.Settings;
            settings["Policy:BundleSigning:Keys:0:Id"] = KeyId;
            settings["Policy:BundleSigning:Keys:0:Algorithm"] = "ES256";
            settings["Policy:BundleSigning:Keys:0:PublicKey"] = Key.ExportSubjectPublicKeyInfoPem();
            settings["Policy:BundleSigning:Scope"] = Scope;
            if (_hasInitialBundle)
            {
                settings["Policy:InitialBundle"] = InitialBundlePath;
            }
            return settings;
        }
    }

    /// <summary>The test bundle's files as `opa build` writes them, paths without the leading slash the archive gives them.</summary>
    public static List<ArchiveFile> Files(string revision) =>
        FilesOf(Bundle(revision)).Select(f => new ArchiveFile(f.Name.TrimStart('/'), Encoding.UTF8.GetBytes(f.Content))).ToList();

    public static ArchiveFile Sig(byte[] signatures) => new(BundleSignatureVerifier.SignaturesFile, signatures);

    /// <summary>The files as an archive with the `.signatures.json` that <paramref name="key"/> signs under <paramref name="keyId"/>.</summary>
    public static byte[] Signed(List<ArchiveFile> files, ECDsa key, string keyId, string scope) =>
        Of([.. files.Append(Sig(BundleSigner.Sign(files, key, keyId, scope))).Select(f => ("/" + f.Path, Encoding.UTF8.GetString(f.Content)))]);

    public override async ValueTask DisposeAsync()
    {
        Key.Dispose();
        await base.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
