using System.Net;
using System.Net.Http.Headers;
using BalticAI.Sovereignty.Transparency.Witnessing;

namespace BalticAI.Sovereignty.Transparency.Tests.Witnessing;

/// <summary>
/// A witness's reads wait out the broker's 429s as its Retry-After says, within bounds, and give the 429 back when the
/// broker keeps refusing; an upload is never sent twice, and a broker that does not answer is a timeout per attempt.
/// </summary>
public sealed class ThrottledRetryHandlerTests
{
    [Fact]
    public async Task A_read_waits_each_Retry_After_and_is_asked_again_until_it_is_answered()
    {
        var broker = new ScriptedBroker(Throttled(TimeSpan.FromSeconds(2)), Throttled(null), Ok());
        var waits = new List<TimeSpan>();

        using var response = await Client(broker, waits).GetAsync("ledger/checkpoints/latest");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        broker.Requests.ShouldBe(3);
        waits.ShouldBe([TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1)]);
    }

    [Fact]
    public async Task A_wait_longer_than_the_longest_is_cut_to_it_and_a_date_already_past_is_no_wait()
    {
        var broker = new ScriptedBroker(Throttled(TimeSpan.FromHours(1)), ThrottledUntil(DateTimeOffset.UtcNow.AddMinutes(-1)), Ok());
        var waits = new List<TimeSpan>();

        using var response = await Client(broker, waits).GetAsync("ledger/entries?from=0&count=1000");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        waits.ShouldBe([ThrottledRetryHandler.LongestWait, TimeSpan.Zero]);
    }

    [Fact]
    public async Task A_broker_that_keeps_throttling_gets_its_429_back_after_the_last_retry()
    {
        var broker = new ScriptedBroker(Enumerable.Range(0, 10).Select(_ => Throttled(TimeSpan.Zero)).ToArray());
        var waits = new List<TimeSpan>();

        using var response = await Client(broker, waits).GetAsync("ledger/proofs/consistency?from=1&to=2");

        response.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        broker.Requests.ShouldBe(ThrottledRetryHandler.Retries + 1);
        waits.Count.ShouldBe(ThrottledRetryHandler.Retries);
    }

    [Fact]
    public async Task An_upload_is_sent_once_whatever_the_broker_answers()
    {
        var broker = new ScriptedBroker(Throttled(TimeSpan.Zero), Ok());
        var waits = new List<TimeSpan>();

        using var response = await Client(broker, waits).PostAsync("ledger/checkpoints/5/cosignatures", new StringContent("— witness AAAA\n"));

        response.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        broker.Requests.ShouldBe(1);
        waits.ShouldBeEmpty();
    }

    [Fact]
    public async Task An_attempt_the_broker_does_not_answer_times_out_on_its_own()
    {
        var broker = new ScriptedBroker(Hanging());
        using var client = new HttpClient(new ThrottledRetryHandler(TimeSpan.FromMilliseconds(200)) { InnerHandler = broker })
        {
            BaseAddress = new Uri("http://broker.test/"),
            Timeout = Timeout.InfiniteTimeSpan,
        };

        // Awaited rather than through Should.ThrowAsync: a task cancelled by its exception keeps that exception only for an await.
        TaskCanceledException? timeout = null;
        try
        {
            using var _ = await client.GetAsync("ledger/checkpoints/latest");
        }
        catch (TaskCanceledException e)
        {
            timeout = e;
        }

        timeout.ShouldNotBeNull();
        timeout.InnerException.ShouldBeOfType<TimeoutException>();
        timeout.Message.ShouldContain("timed out after 0.2 s");
    }

    private static HttpClient Client(ScriptedBroker broker, List<TimeSpan> waits) =>
        new(new ThrottledRetryHandler(TimeSpan.FromSeconds(10), (wait, _) =>
        {
            waits.Add(wait);
            return Task.CompletedTask;
        })
        { InnerHandler = broker })
        {
            BaseAddress = new Uri("http://broker.test/"),
        };

    private static Func<CancellationToken, Task<HttpResponseMessage>> Ok() => _ => Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK));

    private static Func<CancellationToken, Task<HttpResponseMessage>> Throttled(TimeSpan? retryAfter) => _ =>
    {
        var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        if (retryAfter is { } delta)
        {
            response.Headers.RetryAfter = new RetryConditionHeaderValue(delta);
        }
        return Task.FromResult(response);
    };

    private static Func<CancellationToken, Task<HttpResponseMessage>> ThrottledUntil(DateTimeOffset date) => _ =>
    {
        var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.RetryAfter = new RetryConditionHeaderValue(date);
        return Task.FromResult(response);
    };

    private static Func<CancellationToken, Task<HttpResponseMessage>> Hanging() => async ct =>
    {
        await Task.Delay(Timeout.InfiniteTimeSpan, ct);
        throw new InvalidOperationException("unreachable");
    };

    /// <summary>Answers each request with the next scripted answer.</summary>
    private sealed class ScriptedBroker(params Func<CancellationToken, Task<HttpResponseMessage>>[] answers) : HttpMessageHandler
    {
        public int Requests { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            answers[Requests++](cancellationToken);
    }
}
