using System.Text.Json.Nodes;

namespace BalticAI.Sovereignty.Api.Policies.Bundles;

/// <summary>Why a data document was not mounted: at the top it is no object (no conflict path), or another document already sets <see cref="ConflictPath"/>.</summary>
public sealed record MountRefusal(string? ConflictPath);

/// <summary>
/// Places a data file's document as OPA's loader does (loader.mergeDocument, open-policy-agent/opa), for `balticai policy
/// test` reading a directory and for an OPA bundle archive's data files alike: at the path of its folder, whatever JSON the
/// document is; only a document at the top, which is data itself, must be an object. Documents merge only where both sides
/// are objects: a key two files both set, even to the same value, is a conflict and the file is refused whole.
/// </summary>
public static class DataMount
{
    /// <summary>Mounts <paramref name="doc"/> at <paramref name="folder"/> below <paramref name="data"/>; null when done, else why not (data unchanged).</summary>
    public static MountRefusal? TryMount(JsonObject data, IReadOnlyList<string> folder, JsonNode? doc)
    {
        if (folder.Count == 0 && doc is not JsonObject)
        {
            return new MountRefusal(null);
        }

        var mounted = folder.Count == 0 ? (JsonObject)doc! : Wrap(folder, doc);
        if (Conflict(data, mounted, "data") is { } path)
        {
            return new MountRefusal(path);
        }

        Merge(data, mounted);
        return null;
    }

    private static JsonObject Wrap(IReadOnlyList<string> folder, JsonNode? doc)
    {
        var node = doc;
        for (var i = folder.Count - 1; i >= 0; i--)
        {
            node = new JsonObject { [folder[i]] = node };
        }

        return (JsonObject)node!;
    }

    /// <summary>The first path both documents set where either side is not an object, or null when they merge.</summary>
    private static string? Conflict(JsonObject into, JsonObject from, string at)
    {
        foreach (var (key, value) in from)
        {
            if (!into.TryGetPropertyValue(key, out var existing))
            {
                continue;
            }

            if (existing is not JsonObject e || value is not JsonObject f)
            {
                return $"{at}.{key}";
            }

            if (Conflict(e, f, $"{at}.{key}") is { } deeper)
            {
                return deeper;
            }
        }

        return null;
    }

    /// <summary>Moves every key of <paramref name="from"/> into <paramref name="into"/>, which <see cref="Conflict"/> found free of clashes.</summary>
    private static void Merge(JsonObject into, JsonObject from)
    {
        foreach (var (key, value) in from.ToList())
        {
            if (into.TryGetPropertyValue(key, out var existing))
            {
                Merge((JsonObject)existing!, (JsonObject)value!);
                continue;
            }

            // A node has one parent: it leaves the file's document before it joins data.
            from.Remove(key);
            into[key] = value;
        }
    }
}
