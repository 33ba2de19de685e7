using BalticAI.Sovereignty.Security.KeyVault;

namespace BalticAI.Sovereignty.Api.Infrastructure.Hardening;

/// <summary>
/// The ranges of `Signing:KeyVault:Retry:*`. Retries, back-offs and retried waits together may well outlast
/// `Signing:KeyVault:OperationTimeout` (the defaults do: four tries of 5 s each): that timeout cancels the operation
/// and the broker answers 503, so such a combination is not refused (docs/operations.md, "Key Vault retries").
/// </summary>
internal static class KeyVaultRetrySettings
{
    private static readonly TimeSpan Longest = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan ShortestDelay = TimeSpan.FromMilliseconds(1);

    // operationTimeout is null when `{section}:OperationTimeout` is itself out of range: no bound to compare with.
    public static void Check(List<string> failures, string section, KeyVaultRetryOptions retry, TimeSpan? operationTimeout)
    {
        var key = $"{section}:Retry";
        if (retry.MaxRetries is < 0 or > 10)
        {
            failures.Add($"{key}:MaxRetries is {retry.MaxRetries}; it must be between 0 and 10");
        }
        SettingRange.Check(failures, $"{key}:Delay", retry.Delay, ShortestDelay, Longest);
        SettingRange.Check(failures, $"{key}:MaxDelay", retry.MaxDelay, ShortestDelay, Longest);
        if (retry.Delay > retry.MaxDelay)
        {
            failures.Add($"{key}:Delay is {retry.Delay}; it must not be longer than {key}:MaxDelay ({retry.MaxDelay:c})");
        }
        SettingRange.Check(failures, $"{key}:NetworkTimeout", retry.NetworkTimeout, TimeSpan.FromSeconds(1), Longest);
        SettingRange.Check(failures, $"{key}:LongestRetriedWait", retry.LongestRetriedWait, TimeSpan.Zero, Longest);
        // A retried wait the operation timeout cuts short loses the vault's wait instead of handing it on as Retry-After.
        if (operationTimeout is { } timeout && retry.LongestRetriedWait >= timeout)
        {
            failures.Add($"{key}:LongestRetriedWait is {retry.LongestRetriedWait}; it must be shorter than {section}:OperationTimeout ({timeout:c})");
        }
    }
}
