using BalticAI.Sovereignty.Api.Infrastructure.Resilience;

namespace BalticAI.Sovereignty.Api.Tests.Infrastructure.Resilience;

/// <summary>The delay is recorded instead of waited, so the schedule is checked without any clock.</summary>
public sealed class BackoffTests
{
    private readonly List<TimeSpan> _waits = [];

    private Backoff Schedule(int firstMs = 100, int maxMs = 500) =>
        new(TimeSpan.FromMilliseconds(firstMs), TimeSpan.FromMilliseconds(maxMs), (wait, _) =>
        {
            _waits.Add(wait);
            return Task.CompletedTask;
        });

    [Fact]
    public async Task Retries_until_an_attempt_succeeds_and_returns_its_result()
    {
        var attempts = new List<int>();

        var result = await Schedule().RetryUntilDoneAsync((n, _) =>
        {
            attempts.Add(n);
            return n < 4 ? throw new InvalidOperationException("down") : Task.FromResult("done");
        }, (_, _) => { }, CancellationToken.None);

        result.ShouldBe("done");
        attempts.ShouldBe([1, 2, 3, 4]);
    }

    [Fact]
    public async Task Waits_double_from_the_first_up_to_the_maximum()
    {
        await Schedule(firstMs: 100, maxMs: 500).RetryUntilDoneAsync(
            (n, _) => n < 6 ? throw new InvalidOperationException("down") : Task.CompletedTask, (_, _) => { }, CancellationToken.None);

        _waits.Select(w => w.TotalMilliseconds).ShouldBe([100, 200, 400, 500, 500]);
    }

    [Fact]
    public async Task A_first_attempt_that_succeeds_neither_waits_nor_reports()
    {
        var failures = 0;

        var result = await Schedule().RetryUntilDoneAsync((_, _) => Task.FromResult(7), (_, _) => failures++, CancellationToken.None);

        result.ShouldBe(7);
        failures.ShouldBe(0);
        _waits.ShouldBeEmpty();
    }

    [Fact]
    public async Task Reports_each_failure_once_with_its_attempt_number()
    {
        var thrown = new List<Exception>();
        var reported = new List<(Exception Error, int Attempt)>();

        await Schedule().RetryUntilDoneAsync((n, _) =>
        {
            if (n < 3)
            {
                var error = new InvalidOperationException("attempt " + n);
                thrown.Add(error);
                throw error;
            }
            return Task.CompletedTask;
        }, (e, n) => reported.Add((e, n)), CancellationToken.None);

        reported.Count.ShouldBe(2);
        reported[0].Error.ShouldBeSameAs(thrown[0]);
        reported[0].Attempt.ShouldBe(1);
        reported[1].Error.ShouldBeSameAs(thrown[1]);
        reported[1].Attempt.ShouldBe(2);
    }

    [Fact]
    public async Task Cancellation_during_the_wait_ends_the_loop()
    {
        using var cts = new CancellationTokenSource();
        var attempts = 0;
        var backoff = new Backoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1), (_, token) =>
        {
            cts.Cancel();
            token.ThrowIfCancellationRequested();
            return Task.CompletedTask;
        });

        await Should.ThrowAsync<OperationCanceledException>(() => backoff.RetryUntilDoneAsync(
            (_, _) =>
            {
                attempts++;
                throw new InvalidOperationException("down");
            }, (_, _) => { }, cts.Token));

        attempts.ShouldBe(1);
    }

    [Fact]
    public async Task A_failure_after_cancellation_is_neither_reported_nor_retried()
    {
        using var cts = new CancellationTokenSource();
        var reported = 0;

        await Should.ThrowAsync<InvalidOperationException>(() => Schedule().RetryUntilDoneAsync(
            (_, _) =>
            {
                cts.Cancel();
                throw new InvalidOperationException("shutting down");
            }, (_, _) => reported++, cts.Token));

        reported.ShouldBe(0);
        _waits.ShouldBeEmpty();
    }

    [Fact]
    public async Task Only_failures_the_predicate_accepts_are_retried()
    {
        var reported = new List<Exception>();
        var attempts = 0;

        await Should.ThrowAsync<ArgumentException>(() => Schedule().RetryUntilDoneAsync(
            (n, _) =>
            {
                attempts++;
                throw n == 1 ? new TimeoutException("conflict") : new ArgumentException("fatal");
            }, (e, _) => reported.Add(e), CancellationToken.None, retryOn: e => e is TimeoutException));

        attempts.ShouldBe(2);
        reported.Single().ShouldBeOfType<TimeoutException>();
        _waits.Count.ShouldBe(1);
    }
}
