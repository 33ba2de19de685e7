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
        var latest = (await checkpoints.LatestAsync(ct))?.Size ?? 0;
        if (size <= latest)
        {
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

    public async Task SignAsync(long size, string origin, CancellationToken ct)
    {
        var root = await ledger.ReadRootAsync(size, ct);
        var note = await CheckpointSigning.SignAsync(new Checkpoint(origin, size, root), signer, ct);
        await checkpoints.AddAsync(size, root, note.ToString(), ct);
    }
}
