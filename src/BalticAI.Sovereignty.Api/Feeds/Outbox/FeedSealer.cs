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
        var events = page.Where(e => e.Data is ILedgerEvent).ToList();
        if (events.Count == 0)
        {
            return [];
        }
        var stored = await log.FindAsync(events.Select(e => e.Id).ToArray(), ct);
        var heads = await log.HeadsAsync(FeedNames.All, ct);
        var toSend = new List<SealedEnvelope>();
        var fresh = new List<SealedEnvelope>();
        foreach (var ledgerEvent in events)
        {
            foreach (var feed in FeedMembership.FeedsOf((ILedgerEvent)ledgerEvent.Data, ledgerEvent.ReadActor()?.Country))
            {
                if (stored.TryGetValue((feed, ledgerEvent.Id), out var earlier))
                {
                    toSend.Add(earlier);
                    continue;
                }
                var head = heads.GetValueOrDefault(feed) ?? new FeedHead(0, FeedEnvelopeFields.GenesisHash);
                var unsigned = EnvelopeFactory.Build(ledgerEvent, feed, head.Seq + 1, head.Hash);
                var body = await FeedEnvelopeSeal.SealAsync(unsigned, signer, ct);
                var envelope = new SealedEnvelope(feed, head.Seq + 1, ledgerEvent.Id, ledgerEvent.Sequence, body, FeedEnvelopeSeal.HashOf(body));
                heads[feed] = new FeedHead(envelope.Seq, envelope.Hash);
                fresh.Add(envelope);
                toSend.Add(envelope);
            }
        }
        await log.AppendAsync(fresh, ct);
        return toSend;
    }
}
