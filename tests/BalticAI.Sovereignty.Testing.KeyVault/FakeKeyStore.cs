using System.Security.Cryptography;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Security;

namespace BalticAI.Sovereignty.Testing.KeyVault;

/// <summary>The keys of the fake vault: real P-256 keys, versions in creation order.</summary>
internal sealed class FakeKeyStore(Func<Uri> vault)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<FakeKeyVersion>> _keys = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The kty its keys are reported with: EC, or EC-HSM in a Managed HSM.</summary>
    public string KeyType { get; init; } = "EC";

    public FakeKeyVersion Create(string name)
    {
        lock (_gate)
        {
            if (!_keys.TryGetValue(name, out var versions))
            {
                _keys[name] = versions = [];
            }
            // Key Vault's timestamps are in seconds; keep them distinct so that versions made within one
            // second (tests rotate quickly) still have the order they were made in.
            var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            var created = versions.Count == 0 ? now : Math.Max(now, versions[^1].Created + 1);
            var version = new FakeKeyVersion(name, Guid.NewGuid().ToString("N"), ECDsa.Create(ECCurve.NamedCurves.nistP256), created);
            versions.Add(version);
            return version;
        }
    }

    public IReadOnlyList<FakeKeyVersion>? Versions(string name)
    {
        lock (_gate)
        {
            return _keys.TryGetValue(name, out var versions) ? versions.ToList() : null;
        }
    }

    /// <summary>The newest version when <paramref name="version"/> is null or empty.</summary>
    public FakeKeyVersion? Find(string name, string? version)
    {
        var versions = Versions(name);
        return string.IsNullOrEmpty(version) ? versions?.LastOrDefault() : versions?.FirstOrDefault(v => v.Version == version);
    }

    public JsonObject Bundle(FakeKeyVersion version)
    {
        var parameters = version.Key.ExportParameters(includePrivateParameters: false);
        return new JsonObject
        {
            ["key"] = new JsonObject
            {
                ["kid"] = Id(version),
                ["kty"] = KeyType,
                ["key_ops"] = new JsonArray("sign", "verify"),
                ["crv"] = "P-256",
                ["x"] = Base64Url.Encode(parameters.Q.X),
                ["y"] = Base64Url.Encode(parameters.Q.Y),
            },
            ["attributes"] = Attributes(version),
        };
    }

    public JsonObject Item(FakeKeyVersion version) => new() { ["kid"] = Id(version), ["attributes"] = Attributes(version) };

    public string Id(FakeKeyVersion version) => new Uri(vault(), $"keys/{version.Name}/{version.Version}").ToString();

    private static JsonObject Attributes(FakeKeyVersion version) => new()
    {
        ["enabled"] = version.Enabled,
        ["created"] = version.Created,
        ["updated"] = version.Updated,
        ["recoveryLevel"] = "Recoverable+Purgeable",
        ["recoverableDays"] = 90,
    };
}

internal sealed class FakeKeyVersion(string name, string version, ECDsa key, long created)
{
    public string Name { get; } = name;

    public string Version { get; } = version;

    public ECDsa Key { get; } = key;

    public long Created { get; } = created;

    public long Updated { get; private set; } = created;

    public bool Enabled { get; private set; } = true;

    public void SetEnabled(bool enabled)
    {
        Enabled = enabled;
        Touch();
    }

    /// <summary>Any update of a version (its attributes or its tags) moves `updated`, as Key Vault does.</summary>
    public void Touch() => Updated = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
}
