using Microsoft.Extensions.Options;

namespace BalticAI.Sovereignty.Api.Infrastructure.Hardening;

/// <summary>The shape of the `Signing` section, checked before the signer is built from it.</summary>
public sealed class SigningSettings
{
    public const string SectionName = "Signing";

    public string Provider { get; set; } = "Local";

    public KeyVaultSettings KeyVault { get; set; } = new();
}

internal sealed class SigningSettingsValidator : IValidateOptions<SigningSettings>
{
    public ValidateOptionsResult Validate(string? name, SigningSettings options)
    {
        var section = SigningSettings.SectionName;
        if (string.Equals(options.Provider, "Local", StringComparison.OrdinalIgnoreCase))
        {
            return ValidateOptionsResult.Success;
        }
        if (!string.Equals(options.Provider, "KeyVault", StringComparison.OrdinalIgnoreCase))
        {
            return ValidateOptionsResult.Fail($"{section}:Provider '{options.Provider}' is unknown; use Local or KeyVault");
        }
        var failures = new List<string>();
        options.KeyVault.Check(failures, $"{section}:KeyVault");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
