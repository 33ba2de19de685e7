using System.CommandLine;
using System.Security.Cryptography;
using System.Text.Json;
using BalticAI.Sovereignty.Security;

namespace BalticAI.Sovereignty.RegulatorInbox.Witnessing;

/// <summary>
/// `witness-key [--public-key-file FILE]`, run with the inbox's own binary and configuration: creates the witness's key
/// (`Inbox:Witness:KeyFile`, owner-only) when missing and prints its public key as the broker's
/// `Ledger:Witnesses:n:PublicKey` takes it; with `--public-key-file`, also writes it there, for a broker that reads it
/// from a file (`Ledger:Witnesses:n:PublicKeyFile`). The broker accepts a witness's cosignatures only for a key it
/// knew at start, so this runs first: docker compose's `inbox-pl-uodo-witness-key` does.
/// </summary>
public static class WitnessKeyCommand
{
    public const string Name = "witness-key";

    /// <summary>Exit codes: 0 done, 2 bad usage or configuration, or a key file that cannot be read or written.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var settings = args.Where(InboxCommandLine.IsSetting).ToArray();
        var publicKeyFile = new Option<FileInfo?>("--public-key-file")
        {
            Description = "Also write the public key to this file (replaced whole), for the broker's Ledger:Witnesses:n:PublicKeyFile",
        };
        var root = new RootCommand(
            "Create the witness's key (Inbox:Witness:KeyFile) when missing and print its public key, base64 SubjectPublicKeyInfo, "
            + "for the broker's Ledger:Witnesses (arguments of the form --Section:Key=value set the inbox's configuration)")
        {
            publicKeyFile,
        };
        root.SetAction(parse => Run(settings, parse.GetValue(publicKeyFile), output, error));
        return await InboxCommandLine.InvokeAsync(root, args, output, error);
    }

    private static int Run(string[] settings, FileInfo? publicKeyFile, TextWriter output, TextWriter error)
    {
        var keyFile = InboxCommandLine.Configuration(settings).GetSection(WitnessOptions.SectionName).Get<WitnessOptions>()?.KeyFile;
        if (string.IsNullOrWhiteSpace(keyFile))
        {
            error.WriteLine("Inbox:Witness:KeyFile must be set, as for the witness itself");
            return 2;
        }
        string publicKey;
        try
        {
            using var key = EcPrivateKeyFile.LoadOrCreate(keyFile, TimeProvider.System).ToEcdsa();
            publicKey = Convert.ToBase64String(key.ExportSubjectPublicKeyInfo());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or CryptographicException or FormatException)
        {
            error.WriteLine($"{keyFile}: not a witness key that can be read or created: {e.Message}");
            return 2;
        }
        if (publicKeyFile is not null)
        {
            try
            {
                // Replaced whole, so a broker starting meanwhile never reads half a key.
                var written = publicKeyFile.FullName + ".tmp";
                File.WriteAllText(written, publicKey + "\n");
                File.Move(written, publicKeyFile.FullName, overwrite: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                error.WriteLine($"{publicKeyFile.FullName}: {e.Message}");
                return 2;
            }
        }
        output.WriteLine(publicKey);
        return 0;
    }
}
