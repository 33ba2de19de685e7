namespace BalticAI.Sovereignty.Api.Ledger;

public sealed class TransparencyLogOptions
{
    public const string SectionName = "Ledger";

    /// <summary>The checkpoint origin line and signing key name (C2SP: a schema-less URL).</summary>
    public string Origin { get; set; } = "balticai.eu/sovereignty-ledger";

    /// <summary>Sign a checkpoint once this many entries are unsigned...</summary>
    public int CheckpointEveryEntries { get; set; } = 1000;

    /// <summary>...or once the oldest unsigned entry has waited this long.</summary>
    public double CheckpointIntervalSeconds { get; set; } = 10;

    /// <summary>How often the checkpointer looks at the tree size.</summary>
    public double CheckpointPollSeconds { get; set; } = 0.5;

    /// <summary>Witnesses whose cosignatures the broker accepts, by name.</summary>
    public List<WitnessRegistration> Witnesses { get; set; } = [];

    /// <summary>Witness keys that could not be read from their `PublicKeyFile` (<see cref="WitnessKeyFiles"/>), for the validator to name.</summary>
    internal List<string> KeyFileProblems { get; } = [];
}

/// <param name="Name">Key name in the cosignature line (e.g. `uodo.gov.pl/witness`).</param>
/// <param name="PublicKey">Base64 DER SubjectPublicKeyInfo of the witness's P-256 key.</param>
/// <param name="PublicKeyFile">
/// Instead of <paramref name="PublicKey"/>, a file holding it (as `witness-key` writes it), read at start: how a key the
/// witness creates in a step before the broker starts (docker compose's) reaches the broker.
/// </param>
public sealed record WitnessRegistration(string Name, string PublicKey = "", string? PublicKeyFile = null);

/// <summary>Reads each witness key given as a file into its registration, so that every reader of the options sees a key.</summary>
internal static class WitnessKeyFiles
{
    public static void Resolve(TransparencyLogOptions options)
    {
        for (var i = 0; i < options.Witnesses.Count; i++)
        {
            var witness = options.Witnesses[i];
            if (witness.PublicKeyFile is not { } path)
            {
                continue;
            }
            var key = $"{TransparencyLogOptions.SectionName}:Witnesses:{i}";
            if (!string.IsNullOrEmpty(witness.PublicKey))
            {
                options.KeyFileProblems.Add($"{key}: set PublicKey or PublicKeyFile, not both");
                continue;
            }
            try
            {
                options.Witnesses[i] = witness with { PublicKey = File.ReadAllText(path).Trim() };
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                options.KeyFileProblems.Add($"{key}:PublicKeyFile {path} cannot be read: {e.Message}");
            }
        }
    }
}
