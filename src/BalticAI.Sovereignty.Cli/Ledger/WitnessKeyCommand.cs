using System.CommandLine;
using BalticAI.Sovereignty.Security;

namespace BalticAI.Sovereignty.Cli.Ledger;

/// <summary>
/// `balticai ledger witness-key FILE`: creates a witness's P-256 key file (owner-only) when missing and
/// prints the public key as the broker's `Ledger:Witnesses:n:PublicKey` expects it.
/// </summary>
public static class WitnessKeyCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "The witness's private key file (JWK); created when missing" };
        var command = new Command("witness-key", "Create a regulator witness key if missing and print its public key (base64 SubjectPublicKeyInfo)") { file };
        command.SetAction(parse =>
        {
            using var key = EcPrivateKeyFile.LoadOrCreate(parse.GetValue(file)!, TimeProvider.System).ToEcdsa();
            Console.WriteLine(Convert.ToBase64String(key.ExportSubjectPublicKeyInfo()));
            return 0;
        });
        return command;
    }
}
