using System.Text.Json.Nodes;

namespace BalticAI.Sovereignty.Security.KeyVault;

/// <summary>
/// What the versions of the signing key mean at one moment: which one signs, which are published for
/// verification, which were revoked. Pure, so that rotation and retention are decided in one place.
/// </summary>
public sealed record KeyVersionSet(
    KeyVaultKeyVersion Active,
    IReadOnlyList<JsonObject> Published,
    IReadOnlyList<SigningKeyRevoked> Revoked,
    DateTimeOffset ReadAt)
{
    /// <summary>
    /// The active version is the newest usable one published for at least <paramref name="activationDelay"/>
    /// (the newest usable one when none is that old). Newer versions are published ahead of use; an older
    /// enabled version stays published for <paramref name="retention"/> after its successor took over or
    /// it expired. Disabled versions are revoked, never published.
    /// </summary>
    public static KeyVersionSet Decide(IReadOnlyList<KeyVaultKeyVersion> versions, DateTimeOffset now, TimeSpan activationDelay, TimeSpan retention)
    {
        var newestFirst = versions.OrderByDescending(v => v.Created).ThenBy(v => v.Version, StringComparer.Ordinal).ToList();
        var usable = newestFirst.Where(v => v.UsableAt(now) && v.PublicKey is not null).ToList();
        // A zero delay (one node, no verifier caches) signs with the newest version at once, clock skew or not.
        var active = usable.FirstOrDefault(v => activationDelay <= TimeSpan.Zero || v.Created <= now - activationDelay) ?? usable.FirstOrDefault()
            ?? throw new SigningUnavailableException($"the key has no enabled, valid version ({versions.Count} versions)");

        var published = new List<JsonObject> { active.PublicKey! };
        DateTimeOffset? successorTookOver = null;
        foreach (var version in newestFirst)
        {
            var needed = version.Enabled && version.PublicKey is not null && version != active && (version.Created > active.Created
                ? version.Expires is null || version.Expires > now
                : RetiredAt(version, successorTookOver) > now - retention);
            if (needed)
            {
                published.Add(version.PublicKey!);
            }
            if (version.Enabled && version.Created <= active.Created)
            {
                successorTookOver = version.Created + activationDelay;
            }
        }
        var revoked = newestFirst.Where(v => !v.Enabled).Select(v => new SigningKeyRevoked(v.KeyId, v.Updated, v.PublicKey)).ToList();
        return new KeyVersionSet(active, published, revoked, now);
    }

    private static DateTimeOffset RetiredAt(KeyVaultKeyVersion version, DateTimeOffset? successorTookOver)
    {
        var retired = successorTookOver ?? DateTimeOffset.MaxValue;
        return version.Expires is { } expires && expires < retired ? expires : retired;
    }
}
