using System.Globalization;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Decisions.Grants.Revoking;

namespace BalticAI.Sovereignty.Api.Decisions.RequestingAccess;

/// <summary>What a policy result means for the broker. Anything but an explicit allow is a deny.</summary>
public sealed record PolicyVerdict(bool Allowed, IReadOnlyList<DecisionReason> Reasons, IReadOnlyList<JsonObject> Obligations)
{
    private static readonly DecisionReason NoDecision =
        new("no-decision", "the policy gave no decision for this input; access is denied by default", "fail closed");

    private static readonly DecisionReason Malformed = new("malformed-decision",
        "the policy's decision is not {allow: boolean, reasons: [{rule, message, source}], obligations: [{type, ...}]}; access is denied by default", "fail closed");

    /// <summary>
    /// Reads `data.balticai.access.decision`: {allow, reasons[], obligations[]}. A decision of any other shape is a
    /// deny: skipping a reason that is not an object let `{"allow": true, "reasons": ["..."]}` grant, and skipping
    /// an obligation granted without the duty the policy meant to bind.
    /// </summary>
    public static PolicyVerdict Interpret(JsonNode? result)
    {
        if (result is not JsonObject decision || decision["allow"] is not JsonValue allowValue || !allowValue.TryGetValue<bool>(out var allow))
        {
            return new PolicyVerdict(false, [NoDecision], []);
        }
        if (decision["reasons"] is not JsonArray reasonList || !reasonList.All(r => r is JsonObject { } o && o["rule"] is JsonValue rule && rule.TryGetValue<string>(out _))
            || decision["obligations"] is not JsonArray obligationList || !obligationList.All(o => o is JsonObject { } b && b["type"] is JsonValue type && type.TryGetValue<string>(out _)))
        {
            return new PolicyVerdict(false, [Malformed], []);
        }
        var reasons = reasonList
            .Cast<JsonObject>()
            .Select(r => new DecisionReason(Text(r["rule"])!, Text(r["message"]) ?? "", Text(r["source"])))
            .ToList();
        var obligations = obligationList.Cast<JsonObject>().Select(o => (JsonObject)o.DeepClone()).ToList();
        // A policy that allows while naming violated rules contradicts itself: deny, keep its reasons.
        var allowed = allow && reasons.Count == 0;
        return new PolicyVerdict(allowed, reasons, allowed ? obligations : []);
    }

    public static readonly DecisionReason GrantWouldExpire =
        new("grant-would-expire", "the dataset's terms or the job end before a grant could start", "usage terms");

    /// <summary>
    /// An allow stands only while a grant could start: not once the job's planned end or the owner's terms
    /// have passed at the decision's time, whatever the bundle says. Read from the policy input alone, so a
    /// replay of the recorded input reaches the answer the decision recorded.
    /// </summary>
    public PolicyVerdict WithinGrantWindow(JsonObject input)
    {
        if (!Allowed)
        {
            return this;
        }
        var time = Instant(input["time"]);
        var open = time is { } now
            && !(Instant(input["job"]?["plannedEnd"]) <= now)
            && !(Instant(input["dataset"]?["terms"]?["expiry"]) <= now);
        return open ? this : new PolicyVerdict(false, [GrantWouldExpire], []);
    }

    /// <summary>An RFC 3339 instant, or a bare date read as the end of that day (inputs recorded before instants were sent).</summary>
    private static DateTimeOffset? Instant(JsonNode? node) => Text(node) switch
    {
        { Length: 10 } date when DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) => GrantRevoker.EndOf(day),
        { } text when DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant) => instant,
        _ => null,
    };

    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : node?.ToJsonString();
}
