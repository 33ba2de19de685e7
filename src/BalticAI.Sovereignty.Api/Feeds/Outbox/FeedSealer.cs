using BalticAI.Sovereignty.Api.Feeds.Envelopes;
using BalticAI.Sovereignty.Api.Ledger;
using BalticAI.Sovereignty.Contracts.Feeds;
using BalticAI.Sovereignty.Security;
using JasperFx.Events;

namespace BalticAI.Sovereignty.Api.Feeds.Outbox;

/// <summary>
/// Numbers, chains, signs and stores the envelopes of a page of ledger events, in ledger order. Only
/// the subscription calls it (one writer), so each feed's sequence has no gaps. An event sealed on an
/// earlier attempt is not sealed again: its stored bytes are returned, so redeliveries are identical.
/// </summary>
public sealed class FeedSealer(FeedLog log, ISigner signer)
{
    public async Task<IReadOnlyList<SealedEnvelope>> SealAsync(IReadOnlyList<IEvent> page, CancellationToken ct)
    {
        var events = page.Where(e => e.Data is ILedgerEvent && !IsSeededHistory(e)).ToList();
        if (events.Count == 0)
        {
            return [];
        }
        var stored = await log.FindAsync(events.Select(e => e.Id).ToArray(), ct);
        var heads = await log.HeadsAsync(FeedNames.All, ct);
        var perFeed = FeedNames.All.ToDictionary(f => f, _ => new List<IEvent>());
        var unsealed = new HashSet<Guid>();
        foreach (var ledgerEvent in events)
        {
            foreach (var feed in FeedMembership.FeedsOf((ILedgerEvent)ledgerEvent.Data, ledgerEvent.ReadActor()?.Country))
            {
                perFeed[feed].Add(ledgerEvent);
                if (!stored.ContainsKey((feed, ledgerEvent.Id)))
                {
                    unsealed.Add(ledgerEvent.Id);
                }
            }
        }
        // Computed once per event, before the feeds fan out: every feed's envelope carries the same data.
        var data = events.Where(e => unsealed.Contains(e.Id)).ToDictionary(e => e.Id, EnvelopeFactory.Data);
        // Each feed is its own chain: feeds are sealed side by side, each one strictly in ledger order.
        var sealedFeeds = await Task.WhenAll(perFeed.Select(feed => Task.Run(() =>
            SealFeedAsync(feed.Key, feed.Value, data, stored, heads.GetValueOrDefault(feed.Key), ct), ct)));
        var fresh = sealedFeeds.SelectMany(f => f.Fresh).ToList();
        await log.AppendAsync(fresh, ct);
        return sealedFeeds.SelectMany(f => f.All).ToList();
    }

    /// <summary>`balticai seed` marks the history it writes (docs/ledger-format.md, section 9): not news to any regulator.</summary>
    public const string FeedHeader = "feed";

    private static bool IsSeededHistory(IEvent e) =>
        e.Headers?.TryGetValue(FeedHeader, out var value) == true && string.Equals(value?.ToString(), "off", StringComparison.Ordinal);

    private async Task<(List<SealedEnvelope> All, List<SealedEnvelope> Fresh)> SealFeedAsync(
        string feed, List<IEvent> events, Dictionary<Guid, byte[]> data, Dictionary<(string, Guid), SealedEnvelope> stored, FeedHead? head,
        CancellationToken ct)
    {
        var all = new List<SealedEnvelope>(events.Count);
        var fresh = new List<SealedEnvelope>(events.Count);
        head ??= new FeedHead(0, FeedEnvelopeFields.GenesisHash);
        foreach (var ledgerEvent in events)
        {
            if (stored.TryGetValue((feed, ledgerEvent.Id), out var earlier))
            {
                all.Add(earlier);
                continue;
            }
            byte[] body;
            // Disposed only once sealing completed or failed: the signature is made over a copy, so nothing reads these bytes after.
            using (var unsigned = EnvelopeFactory.BuildPooled(ledgerEvent, data[ledgerEvent.Id], feed, head.Seq + 1, head.Hash))
            {
                body = await FeedEnvelopeSeal.SealAsync(unsigned.Memory, signer, ct);
            }
            var envelope = new SealedEnvelope(feed, head.Seq + 1, ledgerEvent.Id, ledgerEvent.Sequence, body, FeedEnvelopeSeal.HashOf(body));
            head = new FeedHead(envelope.Seq, envelope.Hash);
            fresh.Add(envelope);
            all.Add(envelope);
        }
        return (all, fresh);
    }
}
