namespace BalticAI.Sovereignty.Api.Infrastructure.Concurrency;

/// <summary>
/// The wait between attempts of a loop that never gives up (an outbox page, a revocation): it doubles from
/// <paramref name="first"/> up to <paramref name="max"/>, so a long outage is polled calmly and a short one
/// costs little.
/// </summary>
public sealed class Backoff(TimeSpan first, TimeSpan max)
{
    private TimeSpan _next = first;

    public async Task WaitAsync(CancellationToken ct)
    {
        await Task.Delay(_next, ct);
        _next = TimeSpan.FromTicks(Math.Min(_next.Ticks * 2, max.Ticks));
    }
}
