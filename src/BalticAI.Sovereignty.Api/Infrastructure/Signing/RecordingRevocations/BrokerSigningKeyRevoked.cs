using BalticAI.Sovereignty.Api.Ledger;

namespace BalticAI.Sovereignty.Api.Infrastructure.Signing.RecordingRevocations;

/// <summary>
/// A version of the broker's signing key was revoked: nothing it signed after <see cref="RevokedAt"/>
/// may be trusted. It concerns every country's regulator, since each one verifies the broker's envelopes,
/// grants and checkpoints.
/// </summary>
/// <param name="Kid">The JWS key id (`{keyName}/{version}` for Key Vault), as listed in `/.well-known/revoked-keys.json`.</param>
/// <param name="RevokedAt">When the key store disabled it.</param>
/// <param name="Reason">How the broker learned of it: <see cref="RevocationRecorder.DisabledInKeyStore"/>.</param>
/// <param name="Countries">Every country's feed (the EU feed receives every event anyway).</param>
public sealed record BrokerSigningKeyRevoked(string Kid, DateTimeOffset RevokedAt, string Reason, IReadOnlyCollection<string> Countries) : ILedgerEvent;
