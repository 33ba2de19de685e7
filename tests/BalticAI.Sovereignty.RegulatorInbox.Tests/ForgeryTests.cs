using System.Text;
using BalticAI.Sovereignty.Contracts.Feeds;
using BalticAI.Sovereignty.RegulatorInbox.Tests.Fixtures;
using BalticAI.Sovereignty.Security;

namespace BalticAI.Sovereignty.RegulatorInbox.Tests;

/// <summary>Messages anyone who may publish to the feed exchange could send: none may be stored, none may stall the inbox.</summary>
public sealed class ForgeryTests : IAsyncLifetime
{
    private readonly InboxFactory _inbox = new();

    [Fact]
    public async Task An_envelope_whose_jws_carries_a_payload_of_its_own_is_rejected()
    {
        // Any compact JWS the broker signed verifies over its own payload: a grant token, which training systems hold.
        var grantToken = await Jws.SignCompactAsync(_inbox.BrokerKeys, """{"grant":"any"}"""u8.ToArray(), "grant+jwt", CancellationToken.None);
        var forged = _inbox.Feed.Unsigned(1, FeedEnvelopeFields.GenesisHash, "forged-allow");
        forged[FeedEnvelopeFields.Jws] = grantToken;
        var genuine = await _inbox.Feed.NextAsync("deny");

        await _inbox.PublishAsync(CanonicalJson.Serialize(forged), genuine);

        var status = await _inbox.WaitForAsync(s => s.Envelopes == 1 && s.VerificationFailures == 1);
        status.RecentFailures.ShouldHaveSingleItem().Kind.ShouldBe("rejected");
        (await _inbox.EnvelopesAsync())[0]!["data"]!["event"]!["outcome"]!.GetValue<string>().ShouldBe("deny");
    }

    [Fact]
    public async Task A_malformed_jws_header_or_duplicate_member_is_rejected_and_the_feed_goes_on()
    {
        var numericAlg = _inbox.Feed.Unsigned(1, FeedEnvelopeFields.GenesisHash);
        numericAlg[FeedEnvelopeFields.Jws] = Base64Url.Encode("""{"alg":256,"kid":7}"""u8) + "..c2lnbmF0dXJl";
        var genuine = await _inbox.Feed.NextAsync();
        var duplicate = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(genuine).Replace("{\"data\":", "{\"feedseq\":1,\"data\":"));

        await _inbox.PublishAsync(CanonicalJson.Serialize(numericAlg), duplicate, genuine);

        var status = await _inbox.WaitForAsync(s => s.Envelopes == 1 && s.VerificationFailures == 2);
        status.RecentFailures.ShouldAllBe(f => f.Kind == "rejected");
        status.ContiguousThrough.ShouldBe(1);
    }

    [Fact]
    public async Task A_genuine_envelope_in_other_bytes_than_its_canonical_form_is_rejected()
    {
        var genuine = await _inbox.Feed.NextAsync();
        var respaced = Encoding.UTF8.GetBytes(" " + Encoding.UTF8.GetString(genuine).Replace(",", ", "));

        await _inbox.PublishAsync(respaced, genuine);

        var status = await _inbox.WaitForAsync(s => s.Envelopes == 1 && s.VerificationFailures == 1);
        // Stored, the respaced copy would make the genuine envelope look like the broker's equivocation.
        status.RecentFailures.ShouldHaveSingleItem().Kind.ShouldBe("rejected");
        status.RecentFailures[0].Reason.ShouldContain("canonical");
    }

    [Fact]
    public async Task A_large_rejected_message_is_kept_in_part_with_its_length_and_digest_and_the_feed_goes_on()
    {
        // Its sender chose its size: kept whole, a flood of such messages would fill the regulator's database.
        var large = Encoding.UTF8.GetBytes("{\"padding\":\"" + new string('x', 1_000_000) + "\"}");
        var genuine = await _inbox.Feed.NextAsync();

        await _inbox.PublishAsync(large, genuine);

        await _inbox.WaitForAsync(s => s.Envelopes == 1 && s.VerificationFailures == 1);
        var row = (await _inbox.ExecuteAsync($"select kind || ' ' || length(body) || ' ' || body_bytes || ' ' || body_sha256 from {_inbox.Schema}.failures"))
            .ShouldHaveSingleItem();
        var sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(large));
        row.ShouldBe($"rejected {64 * 1024} {large.Length} {sha256}");
        var (_, problems) = await _inbox.GetJsonAsync("/inbox/problems");
        var detail = problems["items"]!.AsArray().ShouldHaveSingleItem()!["detail"]!;
        detail["bodyBytes"]!.GetValue<long>().ShouldBe(large.Length);
        detail["bodyKeptBytes"]!.GetValue<long>().ShouldBe(64 * 1024);
        detail["bodySha256"]!.GetValue<string>().ShouldBe(sha256);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _inbox.DisposeAsync();
}
