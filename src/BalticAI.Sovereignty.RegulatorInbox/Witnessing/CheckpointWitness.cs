using BalticAI.Sovereignty.RegulatorInbox.Storage;
using BalticAI.Sovereignty.Security;
using BalticAI.Sovereignty.Transparency.Checkpoints;
using BalticAI.Sovereignty.Transparency.Witnessing;
using Microsoft.Extensions.Options;

namespace BalticAI.Sovereignty.RegulatorInbox.Witnessing;

/// <summary>
/// Runs a witness round every interval. A refused checkpoint is recorded and logged as an error (the
/// broker showed a history that does not extend the one this authority cosigned); the witness never
/// cosigns past it. Then it proves the envelopes it stored since to be in the last history it cosigned
/// (<see cref="InclusionCheck"/>); one that fails is recorded and logged as an error. Failures to reach
/// the broker are retried on the next round.
/// </summary>
public sealed class CheckpointWitness(
    IHttpClientFactory http, IOptions<InboxOptions> inbox, IOptions<WitnessOptions> options, WitnessMemory memory,
    InclusionMemory inclusions, InboxStore envelopes, WitnessTokens tokens, TimeProvider clock, ILogger<CheckpointWitness> logger) : BackgroundService
{
    public const string HttpClientName = "witness";

    /// <summary>Envelopes proven per round at most: two requests each, so a long backlog is worked off over rounds.</summary>
    public const int ProofsPerRound = 500;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        await memory.CreateAsync(stoppingToken);
        await envelopes.CreateAsync(stoppingToken);
        await inclusions.CreateAsync(stoppingToken);
        using var key = EcPrivateKeyFile.LoadOrCreate(o.KeyFile, clock).ToEcdsa();
        var client = http.CreateClient(HttpClientName);
        client.BaseAddress = new Uri(inbox.Value.Broker.TrimEnd('/') + "/");
        var round = new WitnessRound(client, o.Name, key, o.Origin, memory, tokens.GetAsync, clock);
        var inclusion = new InclusionCheck(client);
        var settledThrough = 0L;
        logger.LogInformation("Witness {Name} with public key {Key}", o.Name, Convert.ToBase64String(key.ExportSubjectPublicKeyInfo()));
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(o.IntervalSeconds), clock);
        do
        {
            try
            {
                var report = await round.RunAsync(stoppingToken);
                if (report.Outcome == WitnessOutcome.Refused)
                {
                    logger.LogError("Refused to cosign checkpoint {Size}: {Reason}", report.Size, report.Reason);
                    await memory.RecordRefusalAsync(report.Size, report.Reason, stoppingToken);
                }
                else
                {
                    if (report.Outcome == WitnessOutcome.Cosigned)
                    {
                        logger.LogInformation("Cosigned checkpoint {Size}", report.Size);
                    }
                    await memory.RecordRoundAsync(clock.GetUtcNow(), stoppingToken);
                }
                if (await memory.LastCosignedAsync(stoppingToken) is { } cosigned)
                {
                    settledThrough = await ProveEnvelopesAsync(inclusion, cosigned, settledThrough, stoppingToken);
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Witness round failed; retrying in {Interval} s", o.IntervalSeconds);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>
    /// Proves what the inbox stored since the last round. <paramref name="settledThrough"/> is the feed sequence up to
    /// which every envelope is stored and proven or failed (0 after a start, so the first round reads the whole backlog
    /// once); returns it moved up to just before the first envelope still waiting, or the first gap in the feed.
    /// </summary>
    private async Task<long> ProveEnvelopesAsync(InclusionCheck inclusion, Checkpoint cosigned, long settledThrough, CancellationToken ct)
    {
        var envelopesLeft = await inclusions.UnprovenAsync(settledThrough, ProofsPerRound, ct);
        long? firstWaiting = null;
        foreach (var (seq, id) in envelopesLeft)
        {
            if (!Guid.TryParse(id, out var eventId))
            {
                await inclusions.RecordProblemAsync(id, "the envelope id is not a ledger event id", ct);
                continue;
            }
            var verdict = await inclusion.CheckAsync(eventId, cosigned, ct);
            if (verdict.Outcome == InclusionOutcome.Proven)
            {
                await inclusions.RecordProvenAsync(id, verdict.Index!.Value, cosigned.Size, ct);
            }
            else if (verdict.Outcome == InclusionOutcome.Problem)
            {
                logger.LogError("Envelope {Id} is not proven in the cosigned history of size {Size}: {Reason}", id, cosigned.Size, verdict.Reason);
                await inclusions.RecordProblemAsync(id, verdict.Reason, ct);
            }
            else
            {
                firstWaiting ??= seq;
            }
        }
        var settled = firstWaiting is { } waiting ? waiting - 1 : envelopesLeft.Count > 0 ? envelopesLeft[^1].Seq : settledThrough;
        return settled > settledThrough ? await inclusions.StoredThroughAsync(settledThrough, settled, ct) : settledThrough;
    }
}
