using BalticAI.Sovereignty.Api.Ledger.Tree;
using BalticAI.Sovereignty.Security;
using BalticAI.Sovereignty.Transparency.Checkpoints;
using Microsoft.Extensions.Options;

namespace BalticAI.Sovereignty.Api.Ledger.Checkpointing;

/// <summary>
/// Signs a checkpoint of the tree every N entries or T seconds, whichever comes first. Several broker
/// nodes may run it: a checkpoint of a given size is the same root whoever signs it, and the first insert wins.
/// </summary>
public sealed class Checkpointer(LedgerStore ledger, CheckpointStore checkpoints, ISigner signer, IOptions<TransparencyLogOptions> options, TimeProvider clock, ILogger<Checkpointer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(settings.CheckpointPollSeconds), clock);
        DateTimeOffset? pendingSince = null;
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                pendingSince = await TickAsync(settings, pendingSince, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Schema not yet there at start, database or key store briefly away: try again next tick.
                logger.LogWarning(e, "Ledger checkpoint not signed this time");
            }
        }
    }

    /// <summary>Signs one checkpoint if it is due; returns since when unsigned entries have waited.</summary>
    public async Task<DateTimeOffset?> TickAsync(TransparencyLogOptions settings, DateTimeOffset? pendingSince, CancellationToken ct)
    {
        var size = await ledger.ReadSizeAsync(ct);
        var stored = await checkpoints.LatestAsync(ct);
        var latest = stored?.Size ?? 0;
        if (size <= latest)
        {
            if (stored is not null)
            {
                await RenewIfStaleAsync(stored, ct);
            }
            return null;
        }
        var now = clock.GetUtcNow();
        pendingSince ??= now;
        if (size - latest < settings.CheckpointEveryEntries && now - pendingSince < TimeSpan.FromSeconds(settings.CheckpointIntervalSeconds))
        {
            return pendingSince;
        }
        await SignAsync(size, settings.Origin, ct);
        return null;
    }

    /// <summary>
    /// An idle ledger gets no new checkpoint, so after a rotation or a revocation its latest one would
    /// stay signed by a key verifiers are dropping. It gets a signature by the active key instead, and
    /// keeps only those by keys still published: a revoked key's line goes, so no verifier needs it.
    /// The text (origin, size and root) is unchanged, and with it every witness's cosignature.
    /// </summary>
    public async Task RenewIfStaleAsync(StoredCheckpoint latest, CancellationToken ct)
    {
        if (!SignedNote.TryParse(latest.Note, out var note) || !Checkpoint.TryParse(note.Text, out var checkpoint))
        {
            return;
        }
        var published = (await signer.GetVerificationKeysAsync(ct)).Select(k => EcdsaNoteKey.FromJwk(checkpoint.Origin, k)).ToList();
        if (published.Count == 0)
        {
            return;
        }
        // The signer publishes its active key first.
        var stale = !note.Signatures.Any(published[0].Matches) || !note.Signatures.All(s => published.Any(k => k.Matches(s)));
        if (!stale)
        {
            return;
        }
        var fresh = await CheckpointSigning.SignAsync(checkpoint, signer, ct);
        var kept = note.Signatures.Where(s => published.Any(k => k.Matches(s)) && !fresh.Signatures.Any(f => f.KeyId.AsSpan().SequenceEqual(s.KeyId)));
        var renewed = new SignedNote(note.Text, [.. fresh.Signatures, .. kept]).ToString();
        if (await checkpoints.ReplaceNoteAsync(latest.Size, latest.Note, renewed, ct))
        {
            logger.LogInformation("Ledger checkpoint {Size} signed again with the active key after a key rotation or revocation", latest.Size);
        }
    }

    public async Task SignAsync(long size, string origin, CancellationToken ct)
    {
        var root = await ledger.ReadRootAsync(size, ct);
        var note = await CheckpointSigning.SignAsync(new Checkpoint(origin, size, root), signer, ct);
        await checkpoints.AddAsync(size, root, note.ToString(), ct);
    }
}
