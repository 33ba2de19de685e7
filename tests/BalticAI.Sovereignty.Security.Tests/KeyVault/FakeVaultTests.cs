using System.Collections.Concurrent;
using BalticAI.Sovereignty.Security.KeyVault;
using BalticAI.Sovereignty.Testing.KeyVault;
using Microsoft.Extensions.Logging;

namespace BalticAI.Sovereignty.Security.Tests.KeyVault;

/// <summary>Each test class gets its own fake vault on 127.0.0.1 and signers that reach it through Azure.Core.</summary>
public abstract class FakeVaultTests : IAsyncLifetime
{
    protected const string KeyName = "broker-signing";

    protected FakeKeyVault Vault { get; private set; } = null!;

    protected FakeTokenCredential Credential { get; } = new();

    protected RecordingLogger Log { get; } = new();

    public async Task InitializeAsync() => Vault = await StartVaultAsync();

    public async Task DisposeAsync() => await Vault.DisposeAsync();

    protected virtual Task<FakeKeyVault> StartVaultAsync() => FakeKeyVault.StartAsync();

    protected KeyVaultSigningOptions Options(Action<KeyVaultSigningOptions>? change = null)
    {
        var options = new KeyVaultSigningOptions
        {
            VaultUri = Vault.VaultUri,
            KeyName = KeyName,
            ActivationDelay = TimeSpan.Zero,
            CreateIfMissing = true,
            // The fake vault listens on 127.0.0.1, not on a vault.azure.net host.
            VerifyChallengeResource = false,
        };
        change?.Invoke(options);
        return options;
    }

    /// <summary>Retries quick enough for tests; a 429's Retry-After (1 s) still sets the wait.</summary>
    protected KeyVaultKeysClient Client(KeyVaultSigningOptions options, int maxRetries = 3)
    {
        options.Retry.MaxRetries = maxRetries;
        options.Retry.Delay = TimeSpan.FromMilliseconds(10);
        options.Retry.MaxDelay = TimeSpan.FromMilliseconds(100);
        var pipeline = new KeyVaultPipelineOptions(options.Retry) { Transport = Vault.CreateTransport() };
        return new KeyVaultKeysClient(options.VaultUri!, Credential, pipeline, options.VerifyChallengeResource);
    }

    protected KeyVaultSigner Signer(Action<KeyVaultSigningOptions>? change = null, int maxRetries = 3)
    {
        var options = Options(change);
        return new KeyVaultSigner(Client(options, maxRetries), options, TimeProvider.System, Log);
    }

    protected sealed class RecordingLogger : ILogger<KeyVaultSigner>
    {
        public ConcurrentQueue<(LogLevel Level, string Message)> Entries { get; } = new();

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Enqueue((logLevel, formatter(state, exception)));
    }
}
