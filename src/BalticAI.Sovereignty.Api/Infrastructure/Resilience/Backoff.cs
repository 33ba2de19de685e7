namespace BalticAI.Sovereignty.Api.Infrastructure.Resilience;

/// <summary>
/// The wait between attempts of a loop that never gives up (an outbox page, a revocation): it doubles from
/// <paramref name="first"/> up to <paramref name="max"/>, so a long outage is polled calmly and a short one
/// costs little. <paramref name="delay"/> replaces <see cref="Task.Delay(TimeSpan, CancellationToken)"/> so
/// the schedule can be checked without waiting it out.
/// </summary>
public sealed class Backoff(TimeSpan first, TimeSpan max, Func<TimeSpan, CancellationToken, Task>? delay = null)
{
    private readonly Func<TimeSpan, CancellationToken, Task> _delay = delay ?? Task.Delay;
    private TimeSpan _next = first;

    public async Task WaitAsync(CancellationToken ct)
    {
        await _delay(_next, ct);
        _next = TimeSpan.FromTicks(Math.Min(_next.Ticks * 2, max.Ticks));
    }

    /// <summary>
    /// Runs <paramref name="attempt"/> (given its number, from 1) until it returns, for the background loops whose
    /// failure the Marten daemon must never see: its error policy may skip or pause the page. Each failure that
    /// <paramref name="retryOn"/> accepts (every one when null) is reported once to <paramref name="onFailure"/>
    /// and waited out; any other failure, and any once <paramref name="ct"/> is cancelled, ends the loop.
    /// </summary>
    public async Task<T> RetryUntilDoneAsync<T>(
        Func<int, CancellationToken, Task<T>> attempt, Action<Exception, int> onFailure, CancellationToken ct, Func<Exception, bool>? retryOn = null)
    {
        for (var number = 1; ; number++)
        {
            try
            {
                return await attempt(number, ct);
            }
            catch (Exception e) when (!ct.IsCancellationRequested && (retryOn?.Invoke(e) ?? true))
            {
                onFailure(e, number);
            }
            await WaitAsync(ct);
        }
    }

    public Task RetryUntilDoneAsync(
        Func<int, CancellationToken, Task> attempt, Action<Exception, int> onFailure, CancellationToken ct, Func<Exception, bool>? retryOn = null) =>
        RetryUntilDoneAsync(async (number, token) =>
        {
            await attempt(number, token);
            return true;
        }, onFailure, ct, retryOn);
}
