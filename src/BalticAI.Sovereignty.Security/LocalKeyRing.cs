using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace BalticAI.Sovereignty.Security;

/// <summary>
/// Embedded default signer: ES256 keys kept as owner-only JWK files in one directory. The newest key
/// signs; older keys stay published so that what they signed still verifies after a rotation.
/// </summary>
public sealed class LocalKeyRing : ISigner, IDisposable
{
    private const string Suffix = ".jwk.json";
    private readonly string _directory;
    private readonly TimeProvider _clock;
    private readonly Lock _gate = new();
    private IReadOnlyList<EcPrivateKeyFile> _keys;
    private ECDsa _active;

    public LocalKeyRing(string directory, TimeProvider clock)
    {
        _directory = Path.GetFullPath(directory);
        _clock = clock;
        CreateOwnerOnlyDirectory(_directory);
        _keys = LoadKeys();
        if (_keys.Count == 0)
        {
            Rotate();
        }
        _active = _keys[0].ToEcdsa();
    }

    public string Algorithm => "ES256";

    public string ActiveKeyId => _keys[0].Kid;

    public Task<SignatureResult> SignAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var signature = _active.SignData(data.Span, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
            return Task.FromResult(new SignatureResult(_keys[0].Kid, signature));
        }
    }

    public Task<string> GetActiveKeyIdAsync(CancellationToken cancellationToken) => Task.FromResult(ActiveKeyId);

    public Task<IReadOnlyList<JsonObject>> GetVerificationKeysAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<JsonObject> jwks = _keys.Select(k => PublicJwk(k.Kid, k.X, k.Y)).ToList();
        return Task.FromResult(jwks);
    }

    /// <summary>Creates a new active key; earlier keys remain for verification.</summary>
    public string Rotate()
    {
        lock (_gate)
        {
            var key = EcPrivateKeyFile.Generate(_clock);
            key.Write(Path.Combine(_directory, key.Kid + Suffix));
            _keys = LoadKeys();
            var previous = _active;
            _active = _keys[0].ToEcdsa();
            previous?.Dispose();
            return key.Kid;
        }
    }

    public static JsonObject PublicJwk(string kid, string x, string y) => new()
    {
        ["kty"] = "EC",
        ["crv"] = "P-256",
        ["kid"] = kid,
        ["use"] = "sig",
        ["alg"] = "ES256",
        ["x"] = x,
        ["y"] = y,
    };

    public void Dispose() => _active.Dispose();

    /// <summary>
    /// Why the key ring could not keep its keys in <paramref name="directory"/>; null when it can. A file is written
    /// and removed again in the directory or, when it does not exist yet, in the nearest one above it that does, where
    /// the ring will create it: a broker that could not write its first key is stopped at start rather than at the
    /// first grant it signs, and a start refused for another reason leaves nothing behind.
    /// </summary>
    public static string? DirectoryFailure(string directory)
    {
        try
        {
            var existing = Path.GetFullPath(directory);
            while (!Directory.Exists(existing))
            {
                if (File.Exists(existing))
                {
                    return $"'{existing}' is a file, not a directory";
                }
                existing = Path.GetDirectoryName(existing) ?? throw new DirectoryNotFoundException($"no directory on the path of '{directory}' exists");
            }
            var probe = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Options = FileOptions.DeleteOnClose };
            using (new FileStream(Path.Combine(existing, $".write-check.{Guid.NewGuid():N}.tmp"), probe))
            {
            }
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return e.Message;
        }
    }

    private List<EcPrivateKeyFile> LoadKeys() =>
        Directory.EnumerateFiles(_directory, "*" + Suffix)
            .Select(EcPrivateKeyFile.Read)
            .OrderByDescending(k => k.Created)
            .ThenBy(k => k.Kid, StringComparer.Ordinal)
            .ToList();

    private static void CreateOwnerOnlyDirectory(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
            return;
        }
        Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
