using System.Text.Json.Nodes;

namespace BalticAI.Sovereignty.Api.Infrastructure.Validation;

/// <summary>RFC 7396 JSON Merge Patch: objects merge member by member, null removes, anything else replaces.</summary>
public static class JsonMergePatch
{
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }
        var result = target is JsonObject targetObject ? (JsonObject)targetObject.DeepClone() : new JsonObject();
        foreach (var (name, value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(name);
            }
            else
            {
                result[name] = Apply(result[name], value);
            }
        }
        return result;
    }

    /// <summary>JSON Pointers of the members that differ (arrays compare whole), to record what an amendment changed.</summary>
    public static IReadOnlyList<string> ChangedPaths(JsonNode? before, JsonNode? after, string pointer = "")
    {
        if (before is JsonObject b && after is JsonObject a)
        {
            return b.Select(p => p.Key).Union(a.Select(p => p.Key)).Order(StringComparer.Ordinal)
                .SelectMany(name => ChangedPaths(b[name], a[name], FieldErrors.Child(pointer, name)))
                .ToList();
        }
        return JsonNode.DeepEquals(before, after) ? [] : [pointer];
    }
}
