using System.Text;
using Azure.Core;
using BalticAI.Sovereignty.Security.KeyVault;

namespace BalticAI.Sovereignty.Security.Tests.KeyVault;

/// <summary>`Signing:KeyVault:Retry:*` reaches Azure.Core's retry and the throttling classifier.</summary>
public sealed class KeyVaultPipelineOptionsTests : FakeVaultTests
{
    private static readonly byte[] Payload = Encoding.UTF8.GetBytes("checkpoint");

    [Fact]
    public void Without_settings_the_pipeline_keeps_the_retries_the_broker_always_had()
    {
        var pipeline = new KeyVaultPipelineOptions();

        pipeline.Retry.Mode.ShouldBe(RetryMode.Exponential);
        pipeline.Retry.MaxRetries.ShouldBe(3);
        pipeline.Retry.Delay.ShouldBe(TimeSpan.FromMilliseconds(400));
        pipeline.Retry.MaxDelay.ShouldBe(TimeSpan.FromSeconds(4));
        pipeline.Retry.NetworkTimeout.ShouldBe(TimeSpan.FromSeconds(5));
        pipeline.LongestRetriedWait.ShouldBe(TimeSpan.FromSeconds(4));
    }

    [Fact]
    public void Configured_retries_are_the_pipelines()
    {
        var retry = new KeyVaultRetryOptions
        {
            MaxRetries = 7, Delay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(30),
            NetworkTimeout = TimeSpan.FromSeconds(20), LongestRetriedWait = TimeSpan.FromSeconds(25),
        };

        var pipeline = new KeyVaultPipelineOptions(retry);

        pipeline.Retry.MaxRetries.ShouldBe(7);
        pipeline.Retry.Delay.ShouldBe(TimeSpan.FromSeconds(1));
        pipeline.Retry.MaxDelay.ShouldBe(TimeSpan.FromSeconds(30));
        pipeline.Retry.NetworkTimeout.ShouldBe(TimeSpan.FromSeconds(20));
        pipeline.LongestRetriedWait.ShouldBe(TimeSpan.FromSeconds(25));
    }

    [Fact]
    public async Task With_LongestRetriedWait_0_a_429_asking_for_1_s_is_unavailable_at_once_with_that_wait()
    {
        using var signer = Signer(o => o.Retry.LongestRetriedWait = TimeSpan.Zero);
        await signer.GetVerificationKeysAsync(CancellationToken.None);
        Vault.RetryAfterSeconds = 1;
        Vault.Answer(429);

        var refused = await Should.ThrowAsync<SigningUnavailableException>(() => signer.SignAsync(Payload, CancellationToken.None));

        refused.RetryAfter.ShouldBe(TimeSpan.FromSeconds(1));
        Vault.Requests.Count(r => r.Authorized && r.PathAndQuery.Contains("/sign", StringComparison.Ordinal)).ShouldBe(1);
    }
}
