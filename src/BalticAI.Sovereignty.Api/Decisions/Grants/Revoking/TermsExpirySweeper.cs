using BalticAI.Sovereignty.Api.Datasets;
using Marten;
using MassTransit;

namespace BalticAI.Sovereignty.Api.Decisions.Grants.Revoking;

/// <summary>
/// When a dataset's terms expire, its grants (which never outlive the terms) end with them: this records
/// that end as a revocation on grant and job and tells the training system, as withdrawal does.
/// </summary>
public sealed class TermsExpirySweeper(IDocumentStore store, IBus bus, TimeProvider clock, ILogger<TermsExpirySweeper> logger) : BackgroundService
{
    public const string Reason = "terms-expired";
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Sweeping grants of expired terms failed; retrying in {Interval}", Interval);
            }
            try
            {
                await Task.Delay(Interval, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Revokes active grants whose dataset's terms have expired; returns how many.</summary>
    public async Task<int> SweepAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var session = store.LightweightSession();
        var due = await session.Query<Grant>().Where(g => g.Status == GrantStatus.Active && g.ExpiresAt <= now).ToListAsync(ct);
        if (due.Count == 0)
        {
            return 0;
        }
        var datasets = (await session.LoadManyAsync<DatasetView>(ct, due.Select(g => g.DatasetId).Distinct())).ToDictionary(d => d.Id);
        var revocations = due
            .Where(g => datasets.TryGetValue(g.DatasetId, out var d) && d.State.Terms.Use.Expires is { } end && GrantRevoker.EndOf(end) <= now)
            .Select(g => (Grant: g, Reason))
            .ToList();
        return revocations.Count == 0 ? 0 : await GrantRevoker.RevokeAsync(store, bus, revocations, Policies.PolicySetup.BrokerActor, now, ct);
    }
}
