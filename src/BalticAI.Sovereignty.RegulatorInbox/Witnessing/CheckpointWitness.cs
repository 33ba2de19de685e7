using System.Net;
using BalticAI.Sovereignty.RegulatorInbox.Storage;
using BalticAI.Sovereignty.Security;
using BalticAI.Sovereignty.Transparency.Checkpoints;
using BalticAI.Sovereignty.Transparency.Witnessing;
using Microsoft.Extensions.Options;

namespace BalticAI.Sovereignty.RegulatorInbox.Witnessing;

/// <summary>
/// Runs a witness round every interval. A refused checkpoint is recorded and logged as an error (the
/// broker showed a history that does not extend the one this authority cosigned); the witness never
/// cosigns past it. Then it audits the log's entries up to the last checkpoint it cosigned (<see cref="LogAudit"/>),
/// keeping the newest, which prove the envelopes among them whenever they arrive, and proves one by one
/// (<see cref="InclusionCheck"/>) only envelopes whose entries were audited longer ago. What fails is recorded and logged as an error. A
/// round that cannot reach the broker is retried on the next, and is not counted as completed.
/// </summary>
public sealed class CheckpointWitness(
    IHttpClientFactory http, IOptions<InboxOptions> inbox, IOptions<WitnessOptions> options, WitnessMemory memory,
    InclusionMemory inclusions, LogAuditMemory audits, InboxStore envelopes, WitnessTokens tokens, WitnessProgress progress, TimeProvider clock,
    ILogger<CheckpointWitness> logger) : BackgroundService
{
    /// <summary>Checkpoints, proofs and entry pages, read through <see cref="ThrottledRetryHandler"/>: a round waits out the broker's 429s.</summary>
    public const string HttpClientName = "witness";

    /// <summary>
    /// The one-by-one proofs, which do not wait out a 429: a round's proofs end at the first, so that a backlog proven
    /// at the broker's pace never holds up the next round's cosignature and audit.
    /// </summary>
    public const string ProofsHttpClientName = "witness-proofs";

    /// <summary>
    /// Envelopes proven one by one per round at most: two requests each, so a long backlog of envelopes whose entries were
    /// audited before the kept ones (a feed redelivered after a long outage) is worked off over rounds.
    /// </summary>
    public const int ProofsPerRound = 500;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        await memory.CreateAsync(stoppingToken);
        await envelopes.CreateAsync(stoppingToken);
        await inclusions.CreateAsync(stoppingToken);
        await audits.CreateAsync(stoppingToken);
        using var key = EcPrivateKeyFile.LoadOrCreate(o.KeyFile, clock).ToEcdsa();
        var client = http.CreateClient(HttpClientName);
        client.BaseAddress = new Uri(inbox.Value.Broker.TrimEnd('/') + "/");
        var round = new WitnessRound(client, o.Name, key, o.Origin, memory, tokens.GetAsync, clock);
        var proofsClient = http.CreateClient(ProofsHttpClientName);
        proofsClient.BaseAddress = client.BaseAddress;
        var inclusion = new InclusionCheck(proofsClient);
        var audit = new LogAudit(client, o.AuditPageSize, o.AuditEntriesPerRound);
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
                else if (report.Outcome == WitnessOutcome.Cosigned)
                {
                    logger.LogInformation("Cosigned checkpoint {Size}", report.Size);
                }
                if (await memory.LastCosignedAsync(stoppingToken) is { } cosigned)
                {
                    var audited = await AuditAsync(audit, cosigned, settledThrough, stoppingToken);
                    settledThrough = await ProveEnvelopesAsync(inclusion, cosigned, audited, settledThrough, stoppingToken);
                    progress.SettledThrough = settledThrough;
                }
                if (report.Outcome != WitnessOutcome.Refused)
                {
                    await memory.RecordRoundAsync(clock.GetUtcNow(), stoppingToken);
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
    /// Audits the log from where the last pass stopped towards <paramref name="cosigned"/>, then proves the stored
    /// envelopes after <paramref name="settledThrough"/> whose entries it has audited; returns the size now audited.
    /// </summary>
    private async Task<long> AuditAsync(LogAudit audit, Checkpoint cosigned, long settledThrough, CancellationToken ct)
    {
        var position = await audits.PositionAsync(ct);
        if (position.Size < cosigned.Size)
        {
            var pass = await audit.RunAsync(position, cosigned, ct);
            await audits.RecordAsync(pass, ct);
            foreach (var entry in pass.Entries.Where(e => e.Problem is not null))
            {
                logger.LogError("Ledger entry {Index} (event {EventId}) fails the audit: {Reason}", entry.Index, entry.EventId, entry.Problem);
            }
            if (pass.Inconsistency is { } inconsistency)
            {
                logger.LogError("The audit of entries from {From} failed: {Reason}", pass.From.Size, inconsistency);
            }
            else
            {
                logger.LogInformation("Audited ledger entries {From}-{To} against the checkpoint of size {Size}", pass.From.Size, pass.To.Size - 1, cosigned.Size);
                position = pass.To;
            }
        }
        var proven = await audits.ProveAuditedAsync(settledThrough, cosigned.Size, ct);
        if (proven > 0)
        {
            logger.LogInformation("Proved {Proven} envelope(s) among the audited entries", proven);
        }
        return position.Size;
    }

    /// <summary>
    /// Proves, one by one, the envelopes the audit could not: those whose entries were audited before the newest
    /// `AuditedEntriesKept`. <paramref name="settledThrough"/> is the feed sequence up to which every envelope is stored and proven or
    /// failed (0 after a start); envelopes are taken in feed order, which is ledger order, so the first one whose entry
    /// the audit has not reached yet ends the round's proofs: the audit will prove it and those after it. Returns the
    /// sequence moved up to just before that envelope, or the first gap in the feed.
    /// </summary>
    private async Task<long> ProveEnvelopesAsync(InclusionCheck inclusion, Checkpoint cosigned, long audited, long settledThrough, CancellationToken ct)
    {
        var envelopesLeft = await inclusions.UnprovenAsync(settledThrough, ProofsPerRound, ct);
        var firstKept = await audits.FirstKeptAsync(settledThrough, ct);
        long? firstWaiting = null;
        var proven = 0;
        foreach (var (seq, id) in envelopesLeft)
        {
            if (seq >= firstKept)
            {
                // Stored since this round's join: the next one proves it, and those after it, whose entries are newer.
                firstWaiting = seq;
                break;
            }
            if (!Guid.TryParse(id, out var eventId))
            {
                await inclusions.RecordProblemAsync(id, "the envelope id is not a ledger event id", ct);
                continue;
            }
            InclusionVerdict verdict;
            try
            {
                verdict = await inclusion.CheckAsync(eventId, cosigned, ct);
            }
            catch (HttpRequestException e) when (e.StatusCode == HttpStatusCode.TooManyRequests)
            {
                // The log's routes are limited per address; the next round goes on from here.
                firstWaiting = seq;
                break;
            }
            if (verdict.Outcome == InclusionOutcome.NotYet || verdict.Index >= audited)
            {
                firstWaiting = seq;
                break;
            }
            if (verdict.Outcome == InclusionOutcome.Proven)
            {
                await inclusions.RecordProvenAsync(id, verdict.Index!.Value, cosigned.Size, ct);
                proven++;
            }
            else
            {
                logger.LogError("Envelope {Id} is not proven in the cosigned history of size {Size}: {Reason}", id, cosigned.Size, verdict.Reason);
                await inclusions.RecordProblemAsync(id, verdict.Reason, ct);
            }
        }
        if (proven > 0)
        {
            logger.LogInformation("Proved {Proven} envelope(s) one by one, audited too long ago to be among the kept entries", proven);
        }
        var settled = firstWaiting is { } waiting ? waiting - 1 : envelopesLeft.Count > 0 ? envelopesLeft[^1].Seq : settledThrough;
        return settled > settledThrough ? await inclusions.StoredThroughAsync(settledThrough, settled, ct) : settledThrough;
    }
}
