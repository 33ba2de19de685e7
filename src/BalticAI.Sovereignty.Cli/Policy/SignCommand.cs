using System.CommandLine;
using System.Security.Cryptography;
using BalticAI.Sovereignty.Api.Policies.ActivatingBundle;
using BalticAI.Sovereignty.Api.Policies.ReadingBundles;
using BalticAI.Sovereignty.Api.Policies.Signing;

namespace BalticAI.Sovereignty.Cli.Policy;

/// <summary>
/// `policy sign ARCHIVE --signing-key KEY.pem --key-id ID`: writes the archive again with the `.signatures.json` that
/// `opa sign` writes (any earlier one replaced), for a broker with `Policy:BundleSigning` to activate. The archive is
/// read as activation reads it, so what activation would refuse as an archive is refused here (exit code 2).
/// </summary>
internal static class SignCommand
{
    /// <summary>What an archive may inflate to here; activation bounds it by the broker's body limit.</summary>
    private const long MaxBytes = 256L * 1024 * 1024;

    public static Command Create()
    {
        var archive = new Argument<FileInfo>("archive") { Description = "OPA bundle archive (.tar.gz), e.g. from `opa build` or GET /policies/bundles/{digest}" };
        var key = new Option<FileInfo>("--signing-key") { Description = "PEM private key: EC P-256/P-384/P-521 (ES256/384/512) or RSA (RS256)", Required = true };
        var keyId = new Option<string>("--key-id") { Description = "The key's id in the broker's Policy:BundleSigning:Keys (the JWT's kid)", Required = true };
        var scope = new Option<string>("--scope") { Description = "The scope the broker requires (Policy:BundleSigning:Scope)", DefaultValueFactory = _ => "" };
        var output = new Option<FileInfo?>("--output", "-o") { Description = "Where to write the signed archive (default: over the input)" };
        var cmd = new Command("sign", "Sign an OPA bundle archive as `opa sign` does (.signatures.json)") { archive, key, keyId, scope, output };
        cmd.SetAction(parse => Run(parse.GetValue(archive)!, parse.GetValue(key)!, parse.GetValue(keyId)!, parse.GetValue(scope)!, parse.GetValue(output), parse.InvocationConfiguration));
        return cmd;
    }

    private static int Run(FileInfo archive, FileInfo keyFile, string keyId, string scope, FileInfo? output, InvocationConfiguration console)
    {
        IReadOnlyList<ArchiveFile> files;
        try
        {
            using var stream = archive.OpenRead();
            files = OpaBundleArchive.Read(stream, MaxBytes, MaxBytes);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            console.Error.WriteLine($"{archive.FullName}: {e.Message}");
            return 2;
        }
        catch (BundleArchiveRefusedException e)
        {
            console.Error.WriteLine($"{archive.FullName}: {e.Message} {e.Reasons}");
            return 2;
        }
        using var key = LoadKey(keyFile, console);
        if (key is null)
        {
            return 2;
        }
        var unsigned = files.Where(f => f.Path != BundleSignatureVerifier.SignaturesFile).ToList();
        byte[] signatures;
        try
        {
            signatures = BundleSigner.Sign(unsigned, key, keyId, scope);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or FormatException)
        {
            console.Error.WriteLine($"{archive.FullName}: a structured file cannot be hashed: {e.Message}");
            return 2;
        }
        var target = output ?? archive;
        File.WriteAllBytes(target.FullName, OpaBundleExport.Archive(unsigned.Select(f => (f.Path, f.Content)).Append((BundleSignatureVerifier.SignaturesFile, signatures))));
        console.Error.WriteLine($"signed {unsigned.Count} files with key {keyId}{(scope.Length > 0 ? $", scope {scope}" : "")}: {target.FullName}");
        return 0;
    }

    private static AsymmetricAlgorithm? LoadKey(FileInfo file, InvocationConfiguration console)
    {
        string pem;
        try
        {
            pem = File.ReadAllText(file.FullName);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            console.Error.WriteLine($"{file.FullName}: {e.Message}");
            return null;
        }
        foreach (var create in new Func<AsymmetricAlgorithm>[] { ECDsa.Create, RSA.Create })
        {
            var key = create();
            try
            {
                key.ImportFromPem(pem);
                if (key is RSA { KeySize: < 2048 })
                {
                    console.Error.WriteLine($"{file.FullName}: an RSA key of {key.KeySize} bits is too short; 2048 at least");
                    key.Dispose();
                    return null;
                }
                return key;
            }
            catch (Exception e) when (e is CryptographicException or ArgumentException)
            {
                // Not a key of this kind: the PEM label "PRIVATE KEY" (PKCS#8) does not say which.
                key.Dispose();
            }
        }
        console.Error.WriteLine($"{file.FullName}: not a PEM EC or RSA private key");
        return null;
    }
}
