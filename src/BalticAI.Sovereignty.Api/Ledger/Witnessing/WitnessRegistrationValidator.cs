using BalticAI.Sovereignty.Transparency.Checkpoints;
using Microsoft.Extensions.Options;

namespace BalticAI.Sovereignty.Api.Ledger.Witnessing;

/// <summary>
/// A witness registration the broker cannot use would only show when that witness posts (a 500 on every
/// cosignature), and an origin no signed note can carry only when a verifier reads a checkpoint, so the broker
/// refuses to start with either instead.
/// </summary>
internal sealed class WitnessRegistrationValidator : IValidateOptions<TransparencyLogOptions>
{
    public ValidateOptionsResult Validate(string? name, TransparencyLogOptions options)
    {
        var failures = new List<string>();
        if (!NoteSignature.IsKeyName(options.Origin))
        {
            // The origin is also the log's key name in every checkpoint's signature line, which no verifier could parse.
            failures.Add($"{TransparencyLogOptions.SectionName}:Origin '{options.Origin}' is not a key name: {NoteSignature.KeyNameRule}");
        }
        for (var i = 0; i < options.Witnesses.Count; i++)
        {
            var witness = options.Witnesses[i];
            var key = $"{TransparencyLogOptions.SectionName}:Witnesses:{i}";
            if (!NoteSignature.IsKeyName(witness.Name))
            {
                failures.Add($"{key}:Name '{witness.Name}' is not a witness name: {NoteSignature.KeyNameRule}");
            }
            else if (options.Witnesses.Take(i).Any(w => w.Name == witness.Name))
            {
                failures.Add($"{key}:Name '{witness.Name}' is registered twice");
            }
            if (witness.PublicKeyFile is not null && string.IsNullOrEmpty(witness.PublicKey))
            {
                // Unreadable: named among the key file problems below.
                continue;
            }
            if (!EcdsaNoteKey.IsP256SubjectPublicKeyInfo(witness.PublicKey))
            {
                failures.Add(witness.PublicKeyFile is { } path
                    ? $"{key}:PublicKeyFile {path} must hold the base64 DER SubjectPublicKeyInfo of a P-256 key"
                    : $"{key}:PublicKey must be the base64 DER SubjectPublicKeyInfo of a P-256 key");
            }
        }
        failures.AddRange(options.KeyFileProblems);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
