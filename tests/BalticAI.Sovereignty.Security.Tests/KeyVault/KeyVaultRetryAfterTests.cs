using System.Globalization;
using BalticAI.Sovereignty.Security.KeyVault;

namespace BalticAI.Sovereignty.Security.Tests.KeyVault;

/// <summary>
/// The wait a vault's retried answer (408, 429, 500, 502, 503, 504) asks for is read as Azure.Core 1.64 reads it
/// (ResponseHeaders.RetryAfter) before its retry policy sits the wait out, so what is not retried, and the wait handed on, are what the pipeline would have
/// waited. A negative wait is none: the pipeline waits the larger of it and its own back-off.
/// </summary>
public sealed class KeyVaultRetryAfterTests
{
    [Theory]
    [InlineData("soon", "700", "3", 3_000)]
    [InlineData("soon", "700", null, null)]
    [InlineData("", "700", "3", 3_000)]
    [InlineData("1500.5", "700", "3", 3_000)]
    [InlineData("99999999999", "700", "3", 3_000)]
    public void The_first_millisecond_header_present_is_the_one_read_and_when_it_is_no_whole_number_Retry_After_is(
        string retryAfterMs, string xMsRetryAfterMs, string? retryAfter, int? expectedMs) =>
        Read(429, retryAfterMs, xMsRetryAfterMs, retryAfter).ShouldBe(Milliseconds(expectedMs));

    [Theory]
    [InlineData("-5", "3", 0)]
    [InlineData("+1500", null, 1_500)]
    [InlineData(" 1500 ", null, 1_500)]
    public void A_millisecond_header_is_a_signed_whole_number_and_a_negative_one_asks_for_no_wait(
        string retryAfterMs, string? retryAfter, int expectedMs) =>
        Read(503, retryAfterMs, null, retryAfter).ShouldBe(TimeSpan.FromMilliseconds(expectedMs));

    [Theory]
    [InlineData("100", "700", "3", 100)]
    [InlineData(null, "700", "3", 700)]
    [InlineData(null, "soon", "3", 3_000)]
    public void Retry_after_ms_comes_before_x_ms_retry_after_ms_and_both_before_Retry_After(
        string? retryAfterMs, string xMsRetryAfterMs, string retryAfter, int expectedMs) =>
        Read(429, retryAfterMs, xMsRetryAfterMs, retryAfter).ShouldBe(TimeSpan.FromMilliseconds(expectedMs));

    [Theory]
    [InlineData("17", 17_000)]
    [InlineData("-3", 0)]
    [InlineData("soon", null)]
    public void Retry_After_in_seconds_is_a_signed_whole_number_and_a_negative_one_asks_for_no_wait(string retryAfter, int? expectedMs) =>
        Read(503, null, null, retryAfter).ShouldBe(Milliseconds(expectedMs));

    [Fact]
    public void An_HTTP_date_in_Retry_After_is_read_against_this_hosts_clock_not_the_answers_Date()
    {
        var now = DateTimeOffset.UtcNow;
        var answer = new HeadersOnlyResponse(429,
            ("Retry-After", now.AddHours(1).ToString("r", CultureInfo.InvariantCulture)),
            ("Date", now.AddHours(-1).ToString("r", CultureInfo.InvariantCulture)));

        // An hour less the time since `now` and the HTTP-date's lost fraction of a second; two hours if Date were the base.
        KeyVaultThrottleClassifier.RetryAfter(answer)!.Value.ShouldBeInRange(TimeSpan.FromMinutes(59), TimeSpan.FromMinutes(60));
    }

    [Theory]
    [InlineData(408)]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    public void Every_status_Azure_Core_retries_asks_for_the_wait_it_names(int status) =>
        Read(status, "100", "700", "3").ShouldBe(TimeSpan.FromMilliseconds(100));

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(409)]
    [InlineData(501)]
    public void A_status_Azure_Core_does_not_retry_asks_for_no_wait(int status) =>
        Read(status, "100", "700", "3").ShouldBeNull();

    private static TimeSpan? Read(int status, string? retryAfterMs, string? xMsRetryAfterMs, string? retryAfter)
    {
        var headers = new (string Name, string? Value)[]
        {
            ("retry-after-ms", retryAfterMs), ("x-ms-retry-after-ms", xMsRetryAfterMs), ("Retry-After", retryAfter),
        };
        return KeyVaultThrottleClassifier.RetryAfter(new HeadersOnlyResponse(status, [.. headers.Where(h => h.Value is not null).Select(h => (h.Name, h.Value!))]));
    }

    private static TimeSpan? Milliseconds(int? value) => value is { } ms ? TimeSpan.FromMilliseconds(ms) : null;
}
