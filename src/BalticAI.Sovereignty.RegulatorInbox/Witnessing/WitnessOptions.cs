using BalticAI.Sovereignty.Transparency.Checkpoints;

namespace BalticAI.Sovereignty.RegulatorInbox.Witnessing;

/// <summary>
/// `Inbox:Witness`: this authority's witness of the broker's ledger. Its name and public key must be
/// registered at the broker (`Ledger:Witnesses`) for the broker to publish its cosignatures.
/// </summary>
public sealed class WitnessOptions
{
    public const string SectionName = "Inbox:Witness";

    public bool Enabled { get; set; }

    /// <summary>Key name in cosignature lines, e.g. `uodo.gov.pl/witness`.</summary>
    public string Name { get; set; } = "";

    /// <summary>The witness's P-256 private key (JWK file, created owner-only on first start).</summary>
    public string KeyFile { get; set; } = "";

    /// <summary>The ledger's origin line, as the broker's `Ledger:Origin`.</summary>
    public string Origin { get; set; } = "balticai.eu/sovereignty-ledger";

    public double IntervalSeconds { get; set; } = 10;

    /// <summary>
    /// `GET /health/integrity` reports the witness unhealthy when no round has reached the broker and completed (a
    /// checkpoint cosigned or nothing new, then the audit and the proofs, without an error) for this long: checkpoints withheld from a witness are how a log would hide a
    /// second history from it.
    /// </summary>
    public double StaleAfterSeconds { get; set; } = 300;

    /// <summary>
    /// `GET /health/integrity` reports degraded while an envelope received this long ago is neither proven in the cosigned
    /// history nor failed: the log has not checkpointed what the feed carried, the proofs lag behind, or the feed carried
    /// an event the log does not hold.
    /// </summary>
    public double ProofDeadlineSeconds { get; set; } = 600;

    /// <summary>Ledger entries read per request when the witness audits the log (the broker serves at most 10,000).</summary>
    public int AuditPageSize { get; set; } = 1000;

    /// <summary>Ledger entries audited per round at most, so that catching up on a long log is spread over rounds.</summary>
    public int AuditEntriesPerRound { get; set; } = 100_000;

    /// <summary>
    /// Audited entries kept (the newest; about 180 bytes each in PostgreSQL) to prove envelopes that arrive after the audit passed
    /// their entries. Older ones arriving are proven one by one, two requests each.
    /// </summary>
    public long AuditedEntriesKept { get; set; } = 1_000_000;

    /// <summary>
    /// Production: the Entra ID scope of the broker's API (e.g. `api://balticai-sovereignty/.default`);
    /// the token comes from Azure.Identity (managed identity, workload identity or environment).
    /// </summary>
    public string? Scope { get; set; }

    /// <summary>Development only: mint tokens with the broker's local development issuer key instead.</summary>
    public string? DevelopmentIssuerKeyFile { get; set; }

    /// <summary>The tenant this authority signs in from (the broker's tenant map gives it the Regulator organisation).</summary>
    public string? TenantId { get; set; }

    public void Validate()
    {
        if (!Enabled)
        {
            return;
        }
        if (string.IsNullOrWhiteSpace(Name) || string.IsNullOrWhiteSpace(KeyFile))
        {
            throw new InvalidOperationException("Inbox:Witness:Name and Inbox:Witness:KeyFile are required when the witness is enabled");
        }
        if (!NoteSignature.IsKeyName(Name))
        {
            throw new InvalidOperationException($"Inbox:Witness:Name '{Name}' is not a witness name: {NoteSignature.KeyNameRule}");
        }
        if (!NoteSignature.IsKeyName(Origin))
        {
            throw new InvalidOperationException($"Inbox:Witness:Origin '{Origin}' is not the ledger's origin: {NoteSignature.KeyNameRule}");
        }
        if (string.IsNullOrWhiteSpace(Scope) == string.IsNullOrWhiteSpace(DevelopmentIssuerKeyFile))
        {
            throw new InvalidOperationException("Set exactly one of Inbox:Witness:Scope (Entra ID) and Inbox:Witness:DevelopmentIssuerKeyFile (development)");
        }
        if (!string.IsNullOrWhiteSpace(DevelopmentIssuerKeyFile) && string.IsNullOrWhiteSpace(TenantId))
        {
            throw new InvalidOperationException("Inbox:Witness:TenantId is required with Inbox:Witness:DevelopmentIssuerKeyFile");
        }
        if (IntervalSeconds is <= 0 or > 3600)
        {
            throw new InvalidOperationException($"Inbox:Witness:IntervalSeconds {IntervalSeconds} must be in (0, 3600]");
        }
        if (AuditPageSize is < 1 or > 10_000 || AuditEntriesPerRound < AuditPageSize || AuditedEntriesKept < AuditEntriesPerRound)
        {
            throw new InvalidOperationException(
                $"Inbox:Witness:AuditPageSize {AuditPageSize} must be in [1, 10000], Inbox:Witness:AuditEntriesPerRound {AuditEntriesPerRound} at least that, and Inbox:Witness:AuditedEntriesKept {AuditedEntriesKept} at least that");
        }
        if (ProofDeadlineSeconds <= IntervalSeconds)
        {
            throw new InvalidOperationException($"Inbox:Witness:ProofDeadlineSeconds {ProofDeadlineSeconds} must be longer than Inbox:Witness:IntervalSeconds {IntervalSeconds}");
        }
        if (StaleAfterSeconds <= IntervalSeconds)
        {
            throw new InvalidOperationException($"Inbox:Witness:StaleAfterSeconds {StaleAfterSeconds} must be longer than Inbox:Witness:IntervalSeconds {IntervalSeconds}");
        }
    }
}
