using System.Text;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Contracts.Feeds;
using BalticAI.Sovereignty.RegulatorInbox.Storage;
using BalticAI.Sovereignty.RegulatorInbox.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace BalticAI.Sovereignty.RegulatorInbox.Tests;

/// <summary>One inbox per test: each test owns its feed numbering.</summary>
public sealed class InboxTests : IAsyncLifetime
{
    private readonly InboxFactory _inbox = new();

    [Fact]
    public async Task Valid_envelopes_are_stored_in_order_without_gaps()
    {
        var bodies = new List<byte[]>();
        for (var i = 0; i < 5; i++)
        {
            bodies.Add(await _inbox.Feed.NextAsync());
        }

        await _inbox.PublishAsync([.. bodies]);

        var status = await _inbox.WaitForAsync(s => s.Envelopes == 5);
        status.LastSequence.ShouldBe(5);
        status.ContiguousThrough.ShouldBe(5);
        status.Gaps.ShouldBeEmpty();
        status.VerificationFailures.ShouldBe(0);
        var stored = await _inbox.EnvelopesAsync();
        stored.Select(e => e!["feedseq"]!.GetValue<long>()).ShouldBe([1, 2, 3, 4, 5]);
    }

    [Fact]
    public async Task A_redelivered_envelope_is_stored_once()
    {
        var first = await _inbox.Feed.NextAsync();
        var second = await _inbox.Feed.NextAsync();

        await _inbox.PublishAsync(first, first, second, first, second);

        await _inbox.WaitForAsync(s => s.Envelopes == 2);
        var marker = await _inbox.Feed.NextAsync();
        await _inbox.PublishAsync(marker);
        var status = await _inbox.WaitForAsync(s => s.LastSequence == 3);
        status.Envelopes.ShouldBe(3);
        status.VerificationFailures.ShouldBe(0);
    }

    [Fact]
    public async Task A_forged_envelope_signed_with_another_key_is_rejected_and_reported()
    {
        await _inbox.PublishForgedAsync();

        var status = await _inbox.WaitForAsync(s => s.VerificationFailures == 1);
        status.Envelopes.ShouldBe(0);
        status.RecentFailures[0].Kind.ShouldBe("rejected");
        status.RecentFailures[0].Reason.ShouldContain("signature");
    }

    [Fact]
    public async Task An_envelope_signed_by_a_revoked_key_after_its_revocation_is_rejected_and_those_signed_before_are_kept()
    {
        var compromised = (await _inbox.BrokerKeys.GetVerificationKeysAsync(CancellationToken.None))[0]["kid"]!.GetValue<string>();
        var before = await _inbox.Feed.NextAsync();
        var revokedAt = DateTimeOffset.UtcNow;
        var after = await _inbox.Feed.SignedAsync(2, FeedEnvelopeSeal.HashOf(before), "forged-allow");
        _inbox.BrokerKeys.Rotate();
        _inbox.Revoke(compromised, revokedAt);

        await _inbox.PublishAsync(before, after);

        var status = await _inbox.WaitForAsync(s => s.Envelopes == 1 && s.VerificationFailures == 1);
        status.LastSequence.ShouldBe(1);
        status.RecentFailures[0].Kind.ShouldBe("rejected");
        status.RecentFailures[0].Reason.ShouldContain($"revoked key {compromised}");
        // The broker seals the same number again with its new key; the chain goes on from the kept envelope.
        var resealed = await _inbox.Feed.SignedAsync(2, FeedEnvelopeSeal.HashOf(before));
        await _inbox.PublishAsync(resealed);
        (await _inbox.WaitForAsync(s => s.Envelopes == 2)).VerificationFailures.ShouldBe(1);
        var stored = await _inbox.EnvelopesAsync();
        stored.Select(e => e!["feedseq"]!.GetValue<long>()).ShouldBe([1, 2]);
        stored[1]!["data"]!["event"]!["outcome"]!.GetValue<string>().ShouldBe("allow");
    }

    [Fact]
    public async Task An_altered_envelope_is_rejected_and_the_genuine_one_is_still_accepted()
    {
        var genuine = await _inbox.Feed.NextAsync("deny");
        var altered = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(genuine).Replace("\"deny\"", "\"allow\""));

        await _inbox.PublishAsync(altered, genuine);

        var status = await _inbox.WaitForAsync(s => s.Envelopes == 1 && s.VerificationFailures == 1);
        status.RecentFailures[0].FeedSeq.ShouldBe(1);
        (await _inbox.EnvelopesAsync())[0]!["data"]!["event"]!["outcome"]!.GetValue<string>().ShouldBe("deny");
    }

    [Fact]
    public async Task A_message_that_is_not_an_envelope_is_rejected()
    {
        await _inbox.PublishAsync("not json"u8.ToArray(), """{"specversion":"1.0"}"""u8.ToArray());

        var status = await _inbox.WaitForAsync(s => s.VerificationFailures == 2);
        status.Envelopes.ShouldBe(0);
    }

    [Fact]
    public async Task Envelopes_are_listed_by_type_also_those_stored_before_the_type_was_kept()
    {
        await _inbox.PublishAsync(
            await _inbox.Feed.NextAsync(), await _inbox.Feed.NextAsync(eventName: "access-refused"),
            await _inbox.Feed.NextAsync(eventName: "grant-revoked"), await _inbox.Feed.NextAsync(eventName: "access-refused"));
        await _inbox.WaitForAsync(s => s.Envelopes == 4);

        (await SequencesAsync("/inbox?type=access-refused")).ShouldBe([2, 4]);
        (await SequencesAsync("/inbox?type=eu.baltic-ai.sovereignty.access-refused&after=2")).ShouldBe([4]);
        (await SequencesAsync("/inbox?type=access-refused&limit=1")).ShouldBe([2]);
        (await SequencesAsync("/inbox?type=model-version-flagged")).ShouldBeEmpty();
        var (status, problem) = await _inbox.GetJsonAsync("/inbox?type=Access_Refused");
        status.ShouldBe(System.Net.HttpStatusCode.BadRequest);
        problem["errors"]!["type"].ShouldNotBeNull();

        // An inbox that stored envelopes before it kept their type learns it from their bodies when it starts.
        await _inbox.ExecuteAsync($"update {_inbox.Schema}.envelopes set type = null returning id");
        await _inbox.Services.GetRequiredService<InboxStore>().CreateAsync(CancellationToken.None);
        (await SequencesAsync("/inbox?type=grant-revoked")).ShouldBe([3]);
        (await _inbox.ExecuteAsync($"select id from {_inbox.Schema}.envelopes where type is null")).ShouldBeEmpty();
    }

    private async Task<List<long>> SequencesAsync(string path)
    {
        var (status, page) = await _inbox.GetJsonAsync(path);
        status.ShouldBe(System.Net.HttpStatusCode.OK, page.ToJsonString());
        return [.. page["items"]!.AsArray().Select(e => e!["feedseq"]!.GetValue<long>())];
    }

    [Fact]
    public async Task A_missing_envelope_is_reported_as_a_gap_until_it_arrives()
    {
        var one = await _inbox.Feed.NextAsync();
        var two = await _inbox.Feed.NextAsync();
        var three = await _inbox.Feed.NextAsync();
        var four = await _inbox.Feed.NextAsync();

        await _inbox.PublishAsync(one, three, four);
        var status = await _inbox.WaitForAsync(s => s.Envelopes == 3);
        status.Gaps.ShouldHaveSingleItem().ShouldBe(new Reading.Gap(2, 2));
        status.ContiguousThrough.ShouldBe(1);

        await _inbox.PublishAsync(two);
        status = await _inbox.WaitForAsync(s => s.Envelopes == 4);
        status.Gaps.ShouldBeEmpty();
        status.ContiguousThrough.ShouldBe(4);
        status.VerificationFailures.ShouldBe(0);
    }

    [Fact]
    public async Task Gaps_and_counts_stay_right_above_the_prefix_the_status_already_found_whole()
    {
        var envelopes = new List<byte[]>();
        for (var i = 0; i < 7; i++)
        {
            envelopes.Add(await _inbox.Feed.NextAsync());
        }

        await _inbox.PublishAsync(envelopes[1], envelopes[2]);
        var leading = await _inbox.WaitForAsync(s => s.Envelopes == 2);
        await _inbox.PublishAsync(envelopes[0]);
        var whole = await _inbox.WaitForAsync(s => s.Envelopes == 3);
        await _inbox.PublishAsync(envelopes[4], envelopes[6]);
        var holes = await _inbox.WaitForAsync(s => s.Envelopes == 5);
        var again = await _inbox.StatusAsync();
        await _inbox.PublishAsync(envelopes[3]);
        var filled = await _inbox.WaitForAsync(s => s.Envelopes == 6);

        leading.Gaps.ShouldBe([new Reading.Gap(1, 1)]);
        leading.ContiguousThrough.ShouldBe(0);
        whole.Gaps.ShouldBeEmpty();
        whole.ContiguousThrough.ShouldBe(3);
        holes.Gaps.ShouldBe([new Reading.Gap(4, 4), new Reading.Gap(6, 6)]);
        (holes.ContiguousThrough, holes.LastSequence).ShouldBe((3, 7));
        again.ShouldBeEquivalentTo(holes);
        filled.Gaps.ShouldBe([new Reading.Gap(6, 6)]);
        (filled.Envelopes, filled.ContiguousThrough, filled.LastSequence).ShouldBe((6, 5, 7));
    }

    [Fact]
    public async Task A_signed_envelope_that_breaks_the_chain_or_reuses_a_number_is_reported()
    {
        var one = await _inbox.Feed.NextAsync();
        var unchained = await _inbox.Feed.SignedAsync(2, FeedEnvelopeFields.GenesisHash);
        var rival = await _inbox.Feed.SignedAsync(1, FeedEnvelopeFields.GenesisHash, "deny");

        await _inbox.PublishAsync(one, unchained, rival);

        var status = await _inbox.WaitForAsync(s => s.VerificationFailures == 2);
        status.RecentFailures.Select(f => f.Kind).ShouldBe(["conflict", "chain"], ignoreOrder: true);
        var kept = await _inbox.EnvelopesAsync();
        kept.Select(e => e!["id"]!.GetValue<string>()).ShouldContain(JsonNode.Parse(one)!["id"]!.GetValue<string>());
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _inbox.DisposeAsync();
}
