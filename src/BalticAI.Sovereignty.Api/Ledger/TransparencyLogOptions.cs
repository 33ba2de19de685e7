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
}

/// <param name="Name">Key name in the cosignature line (e.g. `uodo.gov.pl/witness`).</param>
/// <param name="PublicKey">Base64 DER SubjectPublicKeyInfo of the witness's P-256 key.</param>
public sealed record WitnessRegistration(string Name, string PublicKey);
