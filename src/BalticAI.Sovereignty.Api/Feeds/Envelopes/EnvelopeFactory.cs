using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BalticAI.Sovereignty.Api.Ledger;
using BalticAI.Sovereignty.Contracts.Feeds;
using JasperFx.Events;

namespace BalticAI.Sovereignty.Api.Feeds.Envelopes;

/// <summary>Builds the unsigned CloudEvents 1.0 envelope of one ledger event on one feed.</summary>
public static partial class EnvelopeFactory
{
    public static JsonObject Build(IEvent ledgerEvent, string feed, long feedSeq, string prevHash)
    {
        var actor = ledgerEvent.ReadActor();
        return new JsonObject
        {
            [FeedEnvelopeFields.SpecVersion] = FeedEnvelopeFields.SpecVersionValue,
            [FeedEnvelopeFields.Id] = ledgerEvent.Id.ToString(),
            [FeedEnvelopeFields.Source] = FeedNames.Source(feed),
            [FeedEnvelopeFields.Type] = TypeOf(ledgerEvent.EventType),
            [FeedEnvelopeFields.Time] = ledgerEvent.Timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
            [FeedEnvelopeFields.Subject] = ledgerEvent.StreamKey ?? ledgerEvent.StreamId.ToString(),
            [FeedEnvelopeFields.DataContentType] = "application/json",
            [FeedEnvelopeFields.Data] = new JsonObject
            {
                // The pseudonym is left out: it is keyed per person, so still personal data (GDPR recital 26).
                ["actor"] = actor is null ? null : new JsonObject
                {
                    ["organisation"] = actor.Organisation,
                    ["country"] = actor.Country,
                    ["application"] = actor.Application,
                },
                ["event"] = JsonSerializer.SerializeToNode(ledgerEvent.Data, ledgerEvent.EventType, FactsOnly.Options),
            },
            [FeedEnvelopeFields.FeedSeq] = feedSeq,
            [FeedEnvelopeFields.PrevHash] = prevHash,
        };
    }

    /// <summary>`DatasetRegistered` becomes `eu.baltic-ai.sovereignty.dataset-registered`.</summary>
    public static string TypeOf(Type eventType) =>
        FeedEnvelopeFields.TypePrefix + WordStart().Replace(eventType.Name, "-$1").ToLowerInvariant();

    [GeneratedRegex("(?<=[a-z0-9])([A-Z])")]
    private static partial Regex WordStart();
}
