using System.CommandLine;
using System.Security.Cryptography;
using System.Text;
using BalticAI.Sovereignty.Api.Policies.ActivatingBundle;
using BalticAI.Sovereignty.Api.Policies.ReadingBundles;
using BalticAI.Sovereignty.Api.Policies.Signing;
using BalticAI.Sovereignty.Cli.Policy;

namespace BalticAI.Sovereignty.Cli.Tests.Policy;

/// <summary>`balticai policy sign`: an archive signed as `opa sign` signs it, which a broker with the public key verifies.</summary>
public sealed class SignCommandTests
{
    private static readonly (string Path, byte[] Content)[] Bundle =
    [
        (".manifest", Encoding.UTF8.GetBytes("""{"revision": "signed-1", "roots": ["balticai"]}""")),
        ("access/access.rego", Encoding.UTF8.GetBytes("package balticai.access\n\ndefault allow := false\n")),
        ("data.json", Encoding.UTF8.GetBytes("""{"balticai": {"allowedCountries": ["PL", "EE"]}}""")),
    ];

    [Theory]
    [InlineData("ES256")]
    [InlineData("RS256")]
    public async Task A_signed_archive_verifies_with_the_public_key_and_covers_every_file(string algorithm)
    {
        using var directory = new PolicyDirectory("sign-");
        using AsymmetricAlgorithm key = algorithm == "ES256" ? ECDsa.Create(ECCurve.NamedCurves.nistP256) : RSA.Create(2048);
        var (archive, keyFile, signedFile) = Paths(directory);
        File.WriteAllBytes(archive, OpaBundleExport.Archive(Bundle));
        directory.Write("key.pem", key.ExportPkcs8PrivateKeyPem());

        var (exit, error) = await RunAsync(archive, "--signing-key", keyFile, "--key-id", "board", "--scope", "balticai", "-o", signedFile);

        exit.ShouldBe(0, error);
        error.ShouldContain("signed 3 files with key board, scope balticai");
        var files = Read(signedFile);
        var signature = BundleSignatureVerifier.Verify(files, Options(algorithm, key, "balticai"));
        signature.ShouldNotBeNull();
        signature.Files.ShouldBe([".manifest", "access/access.rego", "data.json"]);
        files.Single(f => f.Path == "access/access.rego").Content.ShouldBe(Bundle[1].Content);
        // Signed again over its own output, the archive carries one signatures file, not two.
        (await RunAsync(signedFile, "--signing-key", keyFile, "--key-id", "board", "--scope", "balticai")).Exit.ShouldBe(0);
        Read(signedFile).Count(f => f.Path == BundleSignatureVerifier.SignaturesFile).ShouldBe(1);
    }

    [Fact]
    public async Task A_file_that_is_no_private_key_signs_nothing()
    {
        using var directory = new PolicyDirectory("sign-");
        var (archive, keyFile, signedFile) = Paths(directory);
        File.WriteAllBytes(archive, OpaBundleExport.Archive(Bundle));
        directory.Write("key.pem", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");

        var (exit, error) = await RunAsync(archive, "--signing-key", keyFile, "--key-id", "board", "-o", signedFile);

        exit.ShouldBe(2);
        error.ShouldContain("not a PEM EC or RSA private key");
        File.Exists(signedFile).ShouldBeFalse();
    }

    private static (string Archive, string Key, string Signed) Paths(PolicyDirectory directory) =>
        (Path.Combine(directory.FullName, "bundle.tar.gz"), Path.Combine(directory.FullName, "key.pem"), Path.Combine(directory.FullName, "signed.tar.gz"));

    private static IReadOnlyList<ArchiveFile> Read(string path)
    {
        using var stream = File.OpenRead(path);
        return OpaBundleArchive.Read(stream, 1 << 20, 1 << 20);
    }

    private static BundleSigningOptions Options(string algorithm, AsymmetricAlgorithm key, string scope) => new()
    {
        Keys = [new BundleVerificationKey { Id = "board", Algorithm = algorithm, PublicKey = key.ExportSubjectPublicKeyInfoPem() }],
        Scope = scope,
    };

    private static async Task<(int Exit, string Error)> RunAsync(params string[] arguments)
    {
        var root = new RootCommand { PolicyCommand.Create() };
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await root.Parse(["policy", "sign", .. arguments]).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exit, error.ToString());
    }
}
