using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using BalticAI.Sovereignty.Api.Ledger;
using BalticAI.Sovereignty.Contracts.Feeds;
using BalticAI.Sovereignty.Security;
using JasperFx.Events;

namespace BalticAI.Sovereignty.Api.Feeds.Envelopes;

/// <summary>
/// Builds the unsigned CloudEvents 1.0 envelope of one ledger event on one feed, in canonical form.
/// An event goes to two feeds or more (its countries' and the EU's), so its data are canonicalised once
/// (<see cref="Data"/>) and placed in each feed's envelope as they are (<see cref="BuildPooled"/>).
/// </summary>
public static partial class EnvelopeFactory
{
    /// <summary>The canonical `data` member: who acted and the event's facts.</summary>
    public static byte[] Data(IEvent ledgerEvent)
    {
        var actor = ledgerEvent.ReadActor();
        // Canonicalised straight into the data's bytes, without a canonical copy of the facts of its own.
        using var facts = JsonSerializer.SerializeToDocument(ledgerEvent.Data, ledgerEvent.EventType, FactsOnly.Options);
        return new CanonicalObjectBuilder(2)
            // The pseudonym is left out: it is keyed per person, so still personal data (GDPR recital 26).
            .AddObject("actor", actor is null ? null : new CanonicalObjectBuilder(3)
                .AddString("organisation", actor.Organisation)
                .AddString("country", actor.Country)
                .AddString("application", actor.Application))
            .AddCanonicalised("event", facts.RootElement)
            .ToArray();
    }

    /// <summary>
    /// The canonical envelope without `jws`, around <paramref name="data"/> from <see cref="Data"/>, in a
    /// pooled array: the sealer only signs these bytes and copies them into the sealed envelope, so they
    /// need not be a garbage array of their own (2-3 kB per envelope).
    /// </summary>
    public static PooledBytes BuildPooled(IEvent ledgerEvent, ReadOnlyMemory<byte> data, string feed, long feedSeq, string prevHash) =>
        Envelope(ledgerEvent, data, feed, feedSeq, prevHash).ToPooled();

    private static CanonicalObjectBuilder Envelope(IEvent ledgerEvent, ReadOnlyMemory<byte> data, string feed, long feedSeq, string prevHash) =>
        new CanonicalObjectBuilder(10)
            .AddString(FeedEnvelopeFields.SpecVersion, FeedEnvelopeFields.SpecVersionValue)
            .AddString(FeedEnvelopeFields.Id, ledgerEvent.Id.ToString())
            .AddString(FeedEnvelopeFields.Source, FeedNames.Source(feed))
            .AddString(FeedEnvelopeFields.Type, TypeOf(ledgerEvent.EventType))
            .AddString(FeedEnvelopeFields.Time, ledgerEvent.Timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture))
            .AddString(FeedEnvelopeFields.Subject, ledgerEvent.StreamKey ?? ledgerEvent.StreamId.ToString())
            .AddString(FeedEnvelopeFields.DataContentType, "application/json")
            .Add(FeedEnvelopeFields.Data, data)
            .AddInteger(FeedEnvelopeFields.FeedSeq, feedSeq)
            .AddString(FeedEnvelopeFields.PrevHash, prevHash);

    /// <summary>
    /// `DatasetRegistered` becomes `eu.baltic-ai.sovereignty.dataset-registered`. Kept per event type (a
    /// fixed, small set), since every envelope names one and the regex made three strings each time.
    /// </summary>
    public static string TypeOf(Type eventType) =>
        Types.GetOrAdd(eventType, static type => FeedEnvelopeFields.TypePrefix + WordStart().Replace(type.Name, "-$1").ToLowerInvariant());

    private static readonly ConcurrentDictionary<Type, string> Types = new();

    [GeneratedRegex("(?<=[a-z0-9])([A-Z])")]
    private static partial Regex WordStart();
}
