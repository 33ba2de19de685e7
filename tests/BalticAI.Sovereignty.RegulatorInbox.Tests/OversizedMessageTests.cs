using System.Security.Cryptography;
using System.Text;
using BalticAI.Sovereignty.RegulatorInbox.Tests.Fixtures;

namespace BalticAI.Sovereignty.RegulatorInbox.Tests;

/// <summary>
/// A message larger than any envelope the broker sends (`Inbox:MaxEnvelopeBytes`, small here) is rejected on its length,
/// without being parsed, and kept in part with the whole message's length and digest; the feed goes on behind it.
/// </summary>
public sealed class OversizedMessageTests : IAsyncLifetime
{
    private const int MaxEnvelopeBytes = 100_000;

    private readonly InboxFactory _inbox = new(("Inbox:MaxEnvelopeBytes", MaxEnvelopeBytes.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public async Task A_message_past_the_limit_is_rejected_unparsed_with_its_whole_length_and_digest_and_the_feed_goes_on()
    {
        // Valid JSON throughout: were it parsed, it would be rejected as "not a feed envelope" instead.
        var large = Encoding.UTF8.GetBytes("{\"padding\":\"" + new string('x', 1_000_000) + "\"}");
        var genuine = await _inbox.Feed.NextAsync();

        await _inbox.PublishAsync(large, genuine);

        var status = await _inbox.WaitForAsync(s => s.Envelopes == 1 && s.VerificationFailures == 1);
        status.RecentFailures.ShouldHaveSingleItem().Reason.ShouldBe(
            $"{large.Length} bytes, more than Inbox:MaxEnvelopeBytes ({MaxEnvelopeBytes}): larger than any envelope the broker sends, not parsed");
        var row = (await _inbox.ExecuteAsync($"select kind || ' ' || length(body) || ' ' || body_bytes || ' ' || body_sha256 from {_inbox.Schema}.failures"))
            .ShouldHaveSingleItem();
        row.ShouldBe($"rejected {64 * 1024} {large.Length} {Convert.ToHexStringLower(SHA256.HashData(large))}");
        (await _inbox.ExecuteAsync($"select encode(substr(body, 1, 12), 'escape') from {_inbox.Schema}.failures")).ShouldBe(["{\"padding\":\""]);
    }

    [Fact]
    public async Task The_limit_is_on_length_alone_a_signed_envelope_under_it_is_taken_and_one_past_it_is_not()
    {
        var under = await _inbox.Feed.NextAsync(new string('y', MaxEnvelopeBytes - 10_000));
        var past = await _inbox.Feed.NextAsync(new string('y', MaxEnvelopeBytes));
        under.Length.ShouldBeLessThan(MaxEnvelopeBytes);

        await _inbox.PublishAsync(under, past);

        var status = await _inbox.WaitForAsync(s => s.Envelopes == 1 && s.VerificationFailures == 1);
        status.ContiguousThrough.ShouldBe(1);
        status.RecentFailures.ShouldHaveSingleItem().Reason.ShouldStartWith($"{past.Length} bytes, more than Inbox:MaxEnvelopeBytes");
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _inbox.DisposeAsync();
}
