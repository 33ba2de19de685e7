using System.Text.Json.Nodes;

namespace BalticAI.Sovereignty.Api.Feeds.Envelopes;

/// <summary>
/// A decision keeps its policy input whole (schemas/policy-input.schema.json), and the input copies
/// owner-written text from the dataset's terms, where it is marked [FreeText]. The input is a JSON
/// document, so the marks do not reach it: these are its members that hold that text.
/// </summary>
public static class PolicyInputProse
{
    private static readonly (string Parent, string Member)[] Members =
    [
        ("dataset", "title"),
        ("dataset", "controller"),
        // Origin in words (the description when no source URI is given), collection method, preparation steps, known biases.
        ("dataset", "documentation"),
        ("dataset.personalData", "originalPurpose"),
        ("dataset.personalData", "pseudonymisation"),
    ];

    /// <summary>A copy of <paramref name="input"/> without the owner-written text.</summary>
    public static JsonObject Without(JsonObject input)
    {
        var facts = input.DeepClone().AsObject();
        foreach (var (parent, member) in Members)
        {
            if (parent.Split('.').Aggregate((JsonNode?)facts, (node, key) => node?[key]) is JsonObject owner)
            {
                owner.Remove(member);
            }
        }
        return facts;
    }
}
