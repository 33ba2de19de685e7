using System.Net;
using BalticAI.Sovereignty.Security;

namespace BalticAI.Sovereignty.Transparency.Witnessing;

/// <summary>
/// The log's routes are open, so the broker limits them per address, and witnesses sharing an address share that budget.
/// A witness's reads (checkpoints, proofs, entry pages) are asked again after a 429, waiting the broker's Retry-After
/// each time (at most <see cref="LongestWait"/>, <see cref="Retries"/> times), rather than failing the round that made
/// them. Only reads: a cosignature upload that was refused is the round's to report. Each attempt has its own
/// <paramref name="attemptTimeout"/>, as the waits run inside the client's own timeout, which must allow for them.
/// </summary>
public sealed class ThrottledRetryHandler(TimeSpan attemptTimeout, Func<TimeSpan, CancellationToken, Task>? wait = null) : DelegatingHandler
{
    public const int Retries = 5;

    public static readonly TimeSpan LongestWait = TimeSpan.FromSeconds(10);

    private readonly Func<TimeSpan, CancellationToken, Task> _wait = wait ?? Task.Delay;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var response = await AttemptAsync(request, cancellationToken);
            if (response.StatusCode != HttpStatusCode.TooManyRequests || attempt == Retries || !(request.Method == HttpMethod.Get || request.Method == HttpMethod.Head))
            {
                return response;
            }
            var delay = WaitOf(response);
            response.Dispose();
            await _wait(delay, cancellationToken);
        }
    }

    /// <summary>What the client's timeout must allow for a call through this handler: every attempt and every wait between them.</summary>
    public static TimeSpan LongestCall(TimeSpan attemptTimeout) => (attemptTimeout + LongestWait) * (Retries + 1);

    private async Task<HttpResponseMessage> AttemptAsync(HttpRequestMessage request, CancellationToken ct)
    {
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(ct);
        attempt.CancelAfter(attemptTimeout);
        try
        {
            return await base.SendAsync(request, attempt.Token);
        }
        catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new TaskCanceledException($"{request.Method} {request.RequestUri} timed out after {attemptTimeout.TotalSeconds:0.#} s", new TimeoutException(e.Message, e));
        }
    }

    private static TimeSpan WaitOf(HttpResponseMessage response)
    {
        var wait = RetryAfterHint.From(response.Headers.RetryAfter, response.Headers.Date, DateTimeOffset.UtcNow) ?? TimeSpan.FromSeconds(1);
        return wait > LongestWait ? LongestWait : wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
    }
}
