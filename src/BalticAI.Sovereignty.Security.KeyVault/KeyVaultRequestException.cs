namespace BalticAI.Sovereignty.Security.KeyVault;

/// <summary>
/// Key Vault refused a request; <see cref="Code"/> is the <c>error.code</c> of its error body
/// (<c>KeyNotFound</c>, <c>Forbidden</c>, <c>Unauthorized</c>, <c>Throttled</c> ...).
/// </summary>
public sealed class KeyVaultRequestException(int status, string code, string message, string? innerCode = null)
    : Exception($"Key Vault answered {status} {code}{(innerCode is null ? "" : $" ({innerCode})")}: {message}")
{
    public int Status { get; } = status;

    public string Code { get; } = code;

    public string? InnerCode { get; } = innerCode;

    /// <summary>
    /// The wait the vault asked for with an answer the pipeline retries (408, 429, 500, 502, 503, 504; read by
    /// <see cref="KeyVaultThrottleClassifier.RetryAfter"/>), once the pipeline's retries ran out or that wait was too long to sit out.
    /// </summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>The vault's configuration or the broker's identity is wrong; retrying will not help.</summary>
    public bool IsMisconfiguration => Status is 401 or 403 or 404;
}
