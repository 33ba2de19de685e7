using BalticAI.Sovereignty.Api.Infrastructure.Persistence;
using System.Security.Cryptography;
using System.Text;
using BalticAI.Sovereignty.Api.Infrastructure.Resilience;
using BalticAI.Sovereignty.Api.Ledger;
using BalticAI.Sovereignty.Api.Policies;
using BalticAI.Sovereignty.Contracts.Feeds;
using BalticAI.Sovereignty.Security;
using Marten;
using Microsoft.Extensions.Options;

namespace BalticAI.Sovereignty.Api.Infrastructure.Signing.RecordingRevocations;

/// <summary>
/// Records each revoked signing key in the ledger once, so that it reaches every regulator's feed. A key
/// is revoked in the key store (by `balticai keys revoke`, `az keyvault key set-attributes` or
/// <c>KeyVaultSigner.RevokeAsync</c>), not through the broker, so the recorder watches the revocation
/// list every node already reads. Each key's event lives in a stream whose id derives from its kid:
/// when several nodes see the same revocation, the first append wins and the others collide.
/// </summary>
public sealed class RevocationRecorder(IServiceProvider services, ISigningKeyRevocations revocations, IOptions<SigningOptions> options, TimeProvider clock, ILogger<RevocationRecorder> logger)
    : RepeatingWork(clock, logger)
{
    public const string DisabledInKeyStore = "disabled-in-key-store";

    private readonly HashSet<string> _recorded = new(StringComparer.Ordinal);

    protected override TimeSpan Interval { get; } = options.Value.RevocationCheckInterval;

    protected override string Work => "Recording revoked signing keys";

    protected override Task RunPassAsync(CancellationToken ct) => RecordNewAsync(ct);

    /// <summary>Appends an event for each revoked key not yet recorded; returns how many this call appended.</summary>
    public async Task<int> RecordNewAsync(CancellationToken ct)
    {
        var recorded = 0;
        foreach (var revoked in await revocations.GetRevokedKeysAsync(ct))
        {
            if (_recorded.Contains(revoked.KeyId))
            {
                continue;
            }
            if (await TryAppendAsync(revoked, ct))
            {
                recorded++;
                Logger.LogWarning("Signing key {Kid} revoked at {RevokedAt} recorded in the ledger", revoked.KeyId, revoked.RevokedAt);
            }
            _recorded.Add(revoked.KeyId);
        }
        return recorded;
    }

    public static Guid StreamOf(string kid) =>
        new(SHA256.HashData(Encoding.UTF8.GetBytes("balticai:signing-key-revoked:" + kid)).AsSpan(0, 16));

    private async Task<bool> TryAppendAsync(SigningKeyRevoked revoked, CancellationToken ct)
    {
        await using var session = services.GetRequiredService<IDocumentStore>().LightweightSession();
        session.RecordActor(PolicySetup.BrokerActor);
        session.Events.StartStream(StreamOf(revoked.KeyId), new BrokerSigningKeyRevoked(revoked.KeyId, revoked.RevokedAt, DisabledInKeyStore, FeedNames.Countries));
        try
        {
            await session.CommitAsync(ct);
            return true;
        }
        catch (Exception e) when (e is Marten.Exceptions.ExistingStreamIdCollisionException or JasperFx.Events.ExistingStreamIdCollisionException)
        {
            return false;
        }
    }
}
