using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Infrastructure.Signing;
using BalticAI.Sovereignty.Security;
using Microsoft.Extensions.Options;

namespace BalticAI.Sovereignty.Api.Infrastructure.Hardening;

/// <param name="environment">Resolves a relative `Signing:KeyDirectory` against the content root, as signing's set-up does.</param>
internal sealed class SigningOptionsValidator(IHostEnvironment environment) : IValidateOptions<SigningOptions>
{
    /// <summary>
    /// Bounds of `Signing:RevocationCheckInterval`. Below a tenth of a second (zero, negative) the recorder would poll the key
    /// store without pause (tests run it at 0.2 s);
    /// beyond a day a revoked key would go unrecorded in the ledger for longer than a grant it signed lives (24 h).
    /// </summary>
    public static readonly TimeSpan ShortestRevocationCheckInterval = TimeSpan.FromMilliseconds(100);

    /// <inheritdoc cref="ShortestRevocationCheckInterval"/>
    public static readonly TimeSpan LongestRevocationCheckInterval = TimeSpan.FromDays(1);

    public ValidateOptionsResult Validate(string? name, SigningOptions options)
    {
        var section = SigningOptions.SectionName;
        var failures = new List<string>();
        // Revocations are recorded in the ledger whichever provider signs.
        SettingRange.Check(failures, $"{section}:RevocationCheckInterval", options.RevocationCheckInterval,
            ShortestRevocationCheckInterval, LongestRevocationCheckInterval);
        switch (options.Named)
        {
            case null:
                failures.Add($"{section}:Provider '{options.Provider}' is unknown; use {string.Join(" or ", Enum.GetNames<SigningProvider>())}");
                break;
            case SigningProvider.KeyVault:
                options.KeyVault.Check(failures, $"{section}:KeyVault");
                break;
            case SigningProvider.Local:
                if (KeyDirectoryFailure(options.KeyDirectory, $"{section}:KeyDirectory") is { } failure)
                {
                    failures.Add(failure);
                }
                break;
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private string? KeyDirectoryFailure(string? directory, string key)
    {
        if (string.IsNullOrWhiteSpace(directory))
        {
            return $"{key} is empty; it names the directory of the local signing keys, e.g. .data/keys";
        }
        var resolved = IdentitySetup.ResolvePath(environment, directory);
        var shown = resolved == directory ? $"'{directory}'" : $"'{directory}' ({resolved})";
        return LocalKeyRing.DirectoryFailure(resolved) is { } reason ? $"{key} {shown} cannot hold the signing keys: {reason}" : null;
    }
}
