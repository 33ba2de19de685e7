using BalticAI.Sovereignty.Api.Infrastructure.Signing;
using Microsoft.Extensions.Options;

namespace BalticAI.Sovereignty.Api.Infrastructure.Hardening;

/// <summary>The shape of the `Signing` section, checked before the signer is built from it.</summary>
public sealed class SigningSettings
{
    public const string SectionName = "Signing";

    /// <summary>A string, not a <see cref="SigningProvider"/>, so that a wrong value is named with the ones to use.</summary>
    public string Provider { get; set; } = nameof(SigningProvider.Local);

    public KeyVaultSettings KeyVault { get; set; } = new();

    /// <summary>
    /// The provider <see cref="Provider"/> names, in any case; null for anything else, numbers and lists included, which
    /// the configuration binder would otherwise turn into a provider too.
    /// </summary>
    internal SigningProvider? Named => Enum.GetValues<SigningProvider>()
        .Select(p => (SigningProvider?)p)
        .FirstOrDefault(p => string.Equals(p.ToString(), Provider, StringComparison.OrdinalIgnoreCase));
}

internal sealed class SigningSettingsValidator : IValidateOptions<SigningSettings>
{
    public ValidateOptionsResult Validate(string? name, SigningSettings options)
    {
        var section = SigningSettings.SectionName;
        switch (options.Named)
        {
            case null:
                return ValidateOptionsResult.Fail(
                    $"{section}:Provider '{options.Provider}' is unknown; use {string.Join(" or ", Enum.GetNames<SigningProvider>())}");
            case SigningProvider.KeyVault:
                var failures = new List<string>();
                options.KeyVault.Check(failures, $"{section}:KeyVault");
                return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
            default:
                return ValidateOptionsResult.Success;
        }
    }
}
