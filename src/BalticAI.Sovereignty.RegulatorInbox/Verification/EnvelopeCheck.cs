using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Contracts.Feeds;
using BalticAI.Sovereignty.Security;

namespace BalticAI.Sovereignty.RegulatorInbox.Verification;

/// <summary>
/// A message that is a well-formed envelope of this inbox's feed with a valid broker signature; its CloudEvents
/// <paramref name="Type"/> is kept beside it for listing by type.
/// </summary>
public sealed record VerifiedEnvelope(long Seq, string Id, string PrevHash, string Hash, string KeyId, string Type, byte[] Body);

/// <summary>
/// What a check found. <see cref="Whole"/> describes the whole message when <see cref="Body"/> is only the part of it
/// that was kept (a message too large to be taken for an envelope).
/// </summary>
public sealed record CheckResult(VerifiedEnvelope? Envelope, string? Rejection, string? Id, long? Seq, byte[] Body, WholeBody? Whole = null)
{
    /// <summary>A message larger than any envelope the broker sends, rejected on its length alone.</summary>
    public static CheckResult Oversized(byte[] kept, WholeBody whole, int maxEnvelopeBytes) =>
        new(null, string.Create(CultureInfo.InvariantCulture,
            $"{whole.Bytes} bytes, more than Inbox:MaxEnvelopeBytes ({maxEnvelopeBytes}): larger than any envelope the broker sends, not parsed"),
            null, null, kept, whole);
}

/// <summary>The length and SHA-256 (lower-case hex) of a message of which only a part was kept.</summary>
public sealed record WholeBody(long Bytes, string Sha256);

/// <summary>
/// Checks shape and signature of one message. Sequence and chain are checked against the store,
/// see <see cref="Storage.InboxStore"/>.
/// </summary>
public sealed class EnvelopeCheck(IBrokerKeys keys)
{
    public async Task<CheckResult> CheckAsync(byte[] body, string feed, CancellationToken ct)
    {
        try
        {
            return await CheckShapeAndSignatureAsync(body, feed, ct);
        }
        catch (Exception e) when (e is not (BrokerKeysUnavailableException or OperationCanceledException))
        {
            // Whatever a message makes the check throw, it is judged, recorded and acknowledged: thrown
            // further, it would be redelivered forever and hold every envelope behind it.
            return new CheckResult(null, $"cannot be checked: {e.Message}", null, null, body);
        }
    }

    private async Task<CheckResult> CheckShapeAndSignatureAsync(byte[] body, string feed, CancellationToken ct)
    {
        JsonObject? envelope;
        try
        {
            // A member given twice would make the parsed envelope throw on first use; it is no envelope.
            envelope = JsonNode.Parse(body, documentOptions: NoDuplicates) as JsonObject;
        }
        catch (JsonException)
        {
            return new CheckResult(null, "not JSON (or a member given twice)", null, null, body);
        }
        if (envelope is null)
        {
            return new CheckResult(null, "not a JSON object", null, null, body);
        }
        var id = Text(envelope, FeedEnvelopeFields.Id);
        var seq = envelope[FeedEnvelopeFields.FeedSeq] is JsonValue value && value.TryGetValue<long>(out var n) ? n : (long?)null;
        var prevHash = Text(envelope, FeedEnvelopeFields.PrevHash);
        if (Text(envelope, FeedEnvelopeFields.SpecVersion) != FeedEnvelopeFields.SpecVersionValue
            || string.IsNullOrEmpty(id) || seq is not > 0 || prevHash is null)
        {
            return new CheckResult(null, "not a feed envelope (specversion, id, feedseq or prevhash missing)", id, seq, body);
        }
        if (Text(envelope, FeedEnvelopeFields.Source) != FeedNames.Source(feed))
        {
            return new CheckResult(null, $"source is not {FeedNames.Source(feed)}", id, seq, body);
        }
        // An unknown key id may be a rotation at the broker: look again once before calling it a forgery.
        var known = await keys.GetAsync(refresh: false, ct);
        if (!FeedEnvelopeSeal.HasValidSignature(envelope, known.VerificationKeys, out var kid))
        {
            known = await keys.GetAsync(refresh: true, ct);
            if (!FeedEnvelopeSeal.HasValidSignature(envelope, known.VerificationKeys, out kid))
            {
                return new CheckResult(null, "signature does not verify with the broker's published keys", id, seq, body);
            }
        }
        // The chain hashes the bytes: a respaced or reordered copy of a genuine envelope, stored first, would
        // make the genuine one look like a second envelope under the same number (the broker's equivocation).
        if (!CanonicalJson.Serialize(envelope).AsSpan().SequenceEqual(body))
        {
            return new CheckResult(null, "not in its RFC 8785 canonical form, the only bytes the broker sends", id, seq, body);
        }
        // What a revoked key signed before its revocation stands; anything dated later may be a forgery.
        if (known.RevokedOf(kid!) is { } revoked && !(TimeOf(envelope) < revoked.RevokedAt))
        {
            return new CheckResult(null,
                string.Create(CultureInfo.InvariantCulture, $"signed by revoked key {revoked.Kid}, and dated {Text(envelope, FeedEnvelopeFields.Time) ?? "(no time)"}, not before its revocation at {revoked.RevokedAt:O}"),
                id, seq, body);
        }
        return new CheckResult(new VerifiedEnvelope(seq.Value, id, prevHash, FeedEnvelopeSeal.HashOf(body), kid!, Text(envelope, FeedEnvelopeFields.Type) ?? "", body), null, id, seq, body);
    }

    private static readonly JsonDocumentOptions NoDuplicates = new() { AllowDuplicateProperties = false };

    private static DateTimeOffset? TimeOf(JsonObject envelope) =>
        DateTimeOffset.TryParse(Text(envelope, FeedEnvelopeFields.Time), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time : null;

    private static string? Text(JsonObject envelope, string name) =>
        envelope[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
