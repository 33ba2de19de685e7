using BalticAI.Sovereignty.RegulatorInbox.Reading;
using BalticAI.Sovereignty.RegulatorInbox.Reviewing;
using BalticAI.Sovereignty.RegulatorInbox.Witnessing;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BalticAI.Sovereignty.RegulatorInbox.Health;

/// <summary>
/// What a regulator's monitoring alerts on: envelopes that failed verification (forged, or signed by a revoked key),
/// checkpoints the witness refused (a history that does not extend the one it cosigned), envelopes not proven in the
/// cosigned history, ledger entries the witness's audit found changed or not rebuilding the cosigned history, and a
/// witness that has not reached the broker for `Inbox:Witness:StaleAfterSeconds`: each is
/// unhealthy, and stays so until an operator acknowledges it (<see cref="IntegrityProblems"/>), since they are evidence
/// rather than passing faults. Missing feed sequence numbers are
/// degraded only: a redelivery may still fill them; so are envelopes not proven within `Inbox:Witness:ProofDeadlineSeconds`,
/// which lagging proofs explain as well as a feed that carried what the log lacks. Nothing here restarts or stops the
/// inbox; it keeps receiving.
/// </summary>
public sealed class IntegrityHealthCheck(
    InboxQueries inbox, IntegrityProblems recorded, WitnessMemory witness, InclusionMemory inclusions, LogAuditMemory audits, WitnessProgress progress,
    IOptions<WitnessOptions> witnessOptions, TimeProvider clock) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            return await CheckAsync(cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return HealthCheckResult.Degraded("the inbox has not created its tables yet (starting)");
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("the inbox's records cannot be read: " + e.Message);
        }
    }

    private async Task<HealthCheckResult> CheckAsync(CancellationToken ct)
    {
        var problems = new List<string>();
        var lags = new List<string>();
        var data = new Dictionary<string, object>();
        var feed = await inbox.FeedAsync(ct);
        var counts = await recorded.CountAsync(ct);
        var verification = counts[ProblemKind.Verification];
        data["verificationFailures"] = verification.Open;
        data["gaps"] = feed.Gaps.Count;
        data["acknowledgedProblems"] = counts.Values.Sum(c => c.Acknowledged);
        if (verification.Open > 0)
        {
            problems.Add($"{verification.Open} envelope(s) failed verification; latest: {verification.LatestOpen}");
        }

        var o = witnessOptions.Value;
        if (o.Enabled)
        {
            var cosigned = await witness.StatusAsync(ct);
            var audit = await audits.StatusAsync(ct);
            var (refusals, inclusion, log) = (counts[ProblemKind.Refusal], counts[ProblemKind.Inclusion], counts[ProblemKind.Log]);
            data["witnessRefusals"] = refusals.Open;
            data["inclusionProblems"] = inclusion.Open;
            data["auditedSize"] = audit.AuditedSize;
            data["logProblems"] = log.Open;
            var silence = progress.SilenceSince(cosigned.LastRound);
            data["secondsSinceWitnessRound"] = Math.Round(silence.TotalSeconds, 1);
            if (refusals.Open > 0)
            {
                problems.Add($"the witness refused {refusals.Open} checkpoint(s); latest: {refusals.LatestOpen}");
            }

            if (inclusion.Open > 0)
            {
                problems.Add($"{inclusion.Open} envelope(s) are not proven in the cosigned history; latest: {inclusion.LatestOpen}");
            }

            if (log.Open > 0)
            {
                problems.Add($"the audit found {log.Open} problem(s) in the ledger; latest: {log.LatestOpen}");
            }

            var (overdue, oldest) = await inclusions.OverdueAsync(clock.GetUtcNow().AddSeconds(-o.ProofDeadlineSeconds), progress.SettledThrough, ct);
            data["overdueProofs"] = overdue;
            if (overdue > 0)
            {
                lags.Add($"{overdue} envelope(s) received more than {o.ProofDeadlineSeconds} s ago are not proven in the cosigned history yet (Inbox:Witness:ProofDeadlineSeconds); the oldest arrived {oldest:O}");
            }

            if (silence.TotalSeconds > o.StaleAfterSeconds)
            {
                problems.Add(cosigned.LastRound is { } last
                    ? $"no witness round has completed against the broker since {last:O} (Inbox:Witness:StaleAfterSeconds {o.StaleAfterSeconds})"
                    : $"no witness round has completed against the broker since the inbox started (Inbox:Witness:StaleAfterSeconds {o.StaleAfterSeconds})");
            }
        }

        if (problems.Count > 0)
        {
            return HealthCheckResult.Unhealthy(string.Join("; ", problems), data: data);
        }

        if (feed.Gaps.Count > 0)
        {
            lags.Insert(0, "feed sequence numbers missing: " + string.Join(", ", feed.Gaps.Select(g => g.From == g.To ? $"{g.From}" : $"{g.From}-{g.To}")));
        }

        return lags.Count > 0
            ? HealthCheckResult.Degraded(string.Join("; ", lags), data: data)
            : HealthCheckResult.Healthy("every envelope verified" + (o.Enabled ? ", every checkpoint cosigned, no envelope unproven past Inbox:Witness:ProofDeadlineSeconds" : ""), data);
    }
}
