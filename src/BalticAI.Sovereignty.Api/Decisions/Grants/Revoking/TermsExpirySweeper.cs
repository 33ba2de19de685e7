using BalticAI.Sovereignty.Api.Datasets;
using BalticAI.Sovereignty.Api.Infrastructure.Resilience;
using Marten;
using Microsoft.Extensions.Options;

namespace BalticAI.Sovereignty.Api.Decisions.Grants.Revoking;

/// <summary>
/// When a dataset's terms expire, its grants (which never outlive the terms) end with them: this records
/// that end as a revocation on grant and job, whose notice goes to the training system as a withdrawal's does.
/// </summary>
public sealed class TermsExpirySweeper(IDocumentStore store, IOptions<TermsExpirySweepOptions> options, TimeProvider clock, ILogger<TermsExpirySweeper> logger)
    : RepeatingWork(clock, logger)
{
    public const string Reason = "terms-expired";

    /// <summary>How far back a started broker looks: grants that ended while it was down still get their end recorded.</summary>
    public static readonly TimeSpan LookBack = TimeSpan.FromDays(2);

    /// <summary>Each sweep reads again this far behind the last one: a grant committed late is not skipped.</summary>
    private static readonly TimeSpan Overlap = TimeSpan.FromMinutes(5);

    // Most grants simply reach the end of their lifetime and stay Active in their documents: reading every
    // expired grant on every sweep would read all grants ever issued. Only those that ended since the last
    // sweep are read, through the index on ExpiresAt.
    // UTC ticks, read and written whole: the host's loop and a caller of SweepAsync may sweep at once.
    private long _sweptUpTo = (clock.GetUtcNow() - LookBack).UtcTicks;

    protected override TimeSpan Interval { get; } = options.Value.Interval;

    protected override string Work => "Sweeping grants of expired terms";

    protected override Task RunPassAsync(CancellationToken ct) => SweepAsync(ct);

    /// <summary>Revokes active grants whose dataset's terms have expired; returns how many.</summary>
    public async Task<int> SweepAsync(CancellationToken ct)
    {
        var now = Clock.GetUtcNow();
        var from = new DateTimeOffset(Interlocked.Read(ref _sweptUpTo), TimeSpan.Zero) - Overlap;
        await using var session = store.LightweightSession();
        var due = await session.Query<Grant>().Where(g => g.ExpiresAt > from && g.ExpiresAt <= now && g.Status == GrantStatus.Active).ToListAsync(ct);
        var revoked = await RevokeEndedWithTermsAsync(session, due, now, ct);
        Interlocked.Exchange(ref _sweptUpTo, now.UtcTicks);
        return revoked;
    }

    private async Task<int> RevokeEndedWithTermsAsync(IQuerySession session, IReadOnlyList<Grant> due, DateTimeOffset now, CancellationToken ct)
    {
        if (due.Count == 0)
        {
            return 0;
        }
        var datasets = (await session.LoadManyAsync<DatasetView>(ct, due.Select(g => g.DatasetId).Distinct())).ToDictionary(d => d.Id);
        var revocations = due
            .Where(g => datasets.TryGetValue(g.DatasetId, out var d) && d.State.Terms.Use.Expires is { } end && GrantRevoker.EndOf(end) <= now)
            .Select(g => (Grant: g, Reason))
            .ToList();
        return revocations.Count == 0 ? 0 : await GrantRevoker.RevokeAsync(store, revocations, Policies.PolicySetup.BrokerActor, now, ct);
    }
}
