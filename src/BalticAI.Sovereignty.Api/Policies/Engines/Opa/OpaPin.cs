using System.Text.Json;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Policies.Bundles;

namespace BalticAI.Sovereignty.Api.Policies.Engines.Opa;

/// <summary>
/// A module the broker adds to what it loads into OPA, naming the digest of the bundle loaded with it. It is removed
/// before a load changes anything and written after the load is complete, and OPA answers each query from one
/// snapshot of its store. So one evaluation of <see cref="Query"/> yields the decision together with the digest of
/// the bundle that decided, or nothing while a load (by this node or another one sharing the OPA) is half done.
/// A check that OPA holds the bundle, made in a call of its own, could not tell an activation that came in between.
/// </summary>
public static class OpaPin
{
    /// <summary>OPA's policy id. It does not end in `.rego`, so no bundle module can have it.</summary>
    public const string PolicyId = "balticai-broker.pin";

    /// <summary>The pinned form of <see cref="PolicyBundle.DecisionQuery"/>.</summary>
    public const string Query = "data.balticai_broker.pinned";

    /// <summary>The pin for <paramref name="bundle"/>: `pinned` is defined, with `bundle`, even when the decision is not.</summary>
    public static string Source(PolicyBundle bundle) => $$"""
        # Written by the BalticAI broker after it loads a bundle into OPA; removed before it loads another.
        package balticai_broker

        bundle := {{JsonSerializer.Serialize(bundle.Digest)}}

        pinned := {"bundle": bundle, "decision": decision} if {
        	decision := {{PolicyBundle.DecisionQuery}}
        } else := {"bundle": bundle}

        """;

    /// <summary>The decision out of a pinned result (null when undefined), or why it cannot be trusted as <paramref name="bundle"/>'s.</summary>
    public static JsonNode? Unpin(JsonNode? pinned, PolicyBundle bundle)
    {
        CheckDigest((pinned as JsonObject)?["bundle"], bundle);
        return pinned!["decision"];
    }

    /// <summary>
    /// A body for OPA's Query API that reads <paramref name="reference"/> (`data.` and dotted keys) together with the pin.
    /// The comprehension is defined also where the reference is not, so that "undefined" stays apart from "no pin".
    /// Every key is a quoted string in brackets: no reference can add Rego of its own, nor clash with a keyword.
    /// </summary>
    public static string QueryOf(string reference)
    {
        var path = OpaClient.Keys(reference).Select(key => $"[{JsonSerializer.Serialize(key)}]");
        return $"bundle := data.balticai_broker.bundle; result := [x | x := data{string.Concat(path)}]";
    }

    /// <summary>The value out of the Query API's answer to <see cref="QueryOf"/> (null when undefined), or why it cannot be trusted as <paramref name="bundle"/>'s.</summary>
    public static JsonNode? UnpinQuery(JsonArray results, PolicyBundle bundle)
    {
        var bindings = results.FirstOrDefault() as JsonObject;
        CheckDigest(bindings?["bundle"], bundle);
        return bindings!["result"] is JsonArray { Count: > 0 } values ? values[0]?.DeepClone() : null;
    }

    private static void CheckDigest(JsonNode? pinned, PolicyBundle bundle)
    {
        if (pinned is not JsonValue digest || !digest.TryGetValue<string>(out var held))
        {
            throw new PolicyEngineUnavailableException("OPA holds no bundle loaded by the broker (a load is under way, or OPA lost it)");
        }
        if (held != bundle.Digest)
        {
            throw new PolicyEngineUnavailableException($"OPA decided under bundle {held[..19]}, not the recorded {bundle}");
        }
    }
}
