using System.Text.Json.Nodes;

namespace BalticAI.Sovereignty.Api.Decisions.RequestingAccess;

/// <summary>What a policy result means for the broker. Anything but an explicit allow is a deny.</summary>
public sealed record PolicyVerdict(bool Allowed, IReadOnlyList<DecisionReason> Reasons, IReadOnlyList<JsonObject> Obligations)
{
    private static readonly DecisionReason NoDecision =
        new("no-decision", "the policy gave no decision for this input; access is denied by default", "fail closed");

    /// <summary>Reads `data.balticai.access.decision`: {allow, reasons[], obligations[]}.</summary>
    public static PolicyVerdict Interpret(JsonNode? result)
    {
        if (result is not JsonObject decision || decision["allow"] is not JsonValue allowValue || !allowValue.TryGetValue<bool>(out var allow))
        {
            return new PolicyVerdict(false, [NoDecision], []);
        }
        var reasons = (decision["reasons"] as JsonArray ?? [])
            .OfType<JsonObject>()
            .Select(r => new DecisionReason(Text(r["rule"]) ?? "unnamed-rule", Text(r["message"]) ?? "", Text(r["source"])))
            .ToList();
        var obligations = (decision["obligations"] as JsonArray ?? []).OfType<JsonObject>().Select(o => (JsonObject)o.DeepClone()).ToList();
        // A policy that allows while naming violated rules contradicts itself: deny, keep its reasons.
        var allowed = allow && reasons.Count == 0;
        return new PolicyVerdict(allowed, allow && !allowed ? [.. reasons] : reasons, allowed ? obligations : []);
    }

    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : node?.ToJsonString();
}
