using BalticAI.Sovereignty.Api.Infrastructure.Signing;
using Microsoft.Extensions.Options;

namespace BalticAI.Sovereignty.Api.Infrastructure.Hardening;

internal sealed class SigningOptionsValidator : IValidateOptions<SigningOptions>
{
    public ValidateOptionsResult Validate(string? name, SigningOptions options)
    {
        var section = SigningOptions.SectionName;
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
