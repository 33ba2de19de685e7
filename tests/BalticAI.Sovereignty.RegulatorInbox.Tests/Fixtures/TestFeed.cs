using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Contracts.Feeds;
using BalticAI.Sovereignty.Security;

namespace BalticAI.Sovereignty.RegulatorInbox.Tests.Fixtures;

/// <summary>Plays the broker's part: numbers, chains and signs envelopes of one feed.</summary>
public sealed class TestFeed(ISigner signer, string feed)
{
    private long _seq;
    private string _head = FeedEnvelopeFields.GenesisHash;

    public async Task<byte[]> NextAsync(string outcome = "allow", string eventName = "decision-made")
    {
        var body = await FeedEnvelopeSeal.SealAsync(Unsigned(++_seq, _head, outcome, eventName), signer, CancellationToken.None);
        _head = FeedEnvelopeSeal.HashOf(body);
        return body;
    }

    /// <summary>A correctly signed envelope with chosen number and previous hash (a misbehaving broker).</summary>
    public Task<byte[]> SignedAsync(long seq, string prevHash, string outcome = "allow") =>
        FeedEnvelopeSeal.SealAsync(Unsigned(seq, prevHash, outcome), signer, CancellationToken.None);

    /// <summary>The envelope before signing, for tests that sign (or forge) it themselves.</summary>
    public JsonObject Unsigned(long seq, string prevHash, string outcome = "allow", string eventName = "decision-made") => new()
    {
        ["specversion"] = "1.0",
        ["id"] = Guid.NewGuid().ToString(),
        ["source"] = FeedNames.Source(feed),
        ["type"] = FeedEnvelopeFields.TypePrefix + eventName,
        ["time"] = DateTime.UtcNow.ToString("O"),
        ["subject"] = Guid.NewGuid().ToString(),
        ["datacontenttype"] = "application/json",
        ["data"] = new JsonObject { ["event"] = new JsonObject { ["outcome"] = outcome } },
        ["feedseq"] = seq,
        ["prevhash"] = prevHash,
    };
}
