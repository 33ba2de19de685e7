using System.Text;
using BalticAI.Sovereignty.Security.KeyVault;
using BalticAI.Sovereignty.Testing.KeyVault;
using Microsoft.Extensions.Logging;

namespace BalticAI.Sovereignty.Security.Tests.KeyVault;

/// <summary>Key Vault's authentication flow and every way it can refuse: each ends as SigningUnavailableException.</summary>
public sealed class KeyVaultFailureTests : FakeVaultTests
{
    private static readonly byte[] Payload = Encoding.UTF8.GetBytes("checkpoint");

    [Fact]
    public async Task The_first_request_has_no_token_and_the_401_challenge_names_the_tenant_and_resource_of_the_token()
    {
        using var signer = Signer();

        await signer.SignAsync(Payload, CancellationToken.None);

        var first = Vault.Requests.First();
        first.Authorized.ShouldBeFalse();
        Vault.Requests.Skip(1).ShouldAllBe(r => r.Authorized);
        var asked = Credential.Requests.Select(r => (string.Join(' ', r.Scopes), r.TenantId)).Distinct().ShouldHaveSingleItem();
        asked.ShouldBe(("https://vault.azure.net/.default", FakeKeyVault.TenantId));
    }

    [Fact]
    public async Task A_challenge_for_another_domain_than_the_vaults_gets_no_token()
    {
        using var signer = Signer(o => o.VerifyChallengeResource = true);

        var refused = await Should.ThrowAsync<SigningUnavailableException>(() => signer.SignAsync(Payload, CancellationToken.None));

        refused.InnerException.ShouldBeOfType<KeyVaultRequestException>().Code.ShouldBe("ChallengeResourceMismatch");
        Credential.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task Throttling_is_retried_after_Retry_After_and_then_signs()
    {
        using var signer = Signer();
        await signer.GetVerificationKeysAsync(CancellationToken.None);
        Vault.Answer(429, 429);

        var signed = await signer.SignAsync(Payload, CancellationToken.None);

        signed.Signature.Length.ShouldBe(64);
        Vault.Requests.Count(r => r.Authorized && r.PathAndQuery.Contains("/sign", StringComparison.Ordinal)).ShouldBe(3);
    }

    [Fact]
    public async Task Server_errors_are_retried()
    {
        using var signer = Signer();
        await signer.GetVerificationKeysAsync(CancellationToken.None);
        Vault.Answer(500, 503);

        var signed = await signer.SignAsync(Payload, CancellationToken.None);

        signed.Signature.Length.ShouldBe(64);
    }

    [Fact]
    public async Task Throttling_beyond_the_retries_is_unavailable()
    {
        using var signer = Signer(maxRetries: 1);
        await signer.GetVerificationKeysAsync(CancellationToken.None);
        Vault.AnswerAlways = 429;

        var refused = await Should.ThrowAsync<SigningUnavailableException>(() => signer.SignAsync(Payload, CancellationToken.None));

        var cause = refused.InnerException.ShouldBeOfType<KeyVaultRequestException>();
        cause.Status.ShouldBe(429);
        cause.Code.ShouldBe("Throttled");
        refused.RetryAfter.ShouldBe(TimeSpan.FromSeconds(1));
    }

    [Theory]
    [InlineData(408)]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    public async Task A_vault_asking_for_a_longer_wait_than_the_retries_sit_out_is_unavailable_at_once_with_that_wait(int status)
    {
        using var signer = Signer();
        await signer.GetVerificationKeysAsync(CancellationToken.None);
        Vault.RetryAfterSeconds = 17;
        Vault.AnswerAlways = status;

        var refused = await Should.ThrowAsync<SigningUnavailableException>(() => signer.SignAsync(Payload, CancellationToken.None));

        refused.RetryAfter.ShouldBe(TimeSpan.FromSeconds(17));
        refused.InnerException.ShouldBeOfType<KeyVaultRequestException>().Status.ShouldBe(status);
        Vault.Requests.Count(r => r.Authorized && r.PathAndQuery.Contains("/sign", StringComparison.Ordinal)).ShouldBe(1);
    }

    [Theory]
    [InlineData("retry-after-ms")]
    [InlineData("x-ms-retry-after-ms")]
    public async Task A_wait_in_Azures_millisecond_header_alone_is_read_and_beyond_the_retries_not_retried(string header)
    {
        using var signer = Signer();
        await signer.GetVerificationKeysAsync(CancellationToken.None);
        Vault.RetryAfterSeconds = null;
        if (header == "retry-after-ms")
        {
            Vault.RetryAfterMs = 17_000;
        }
        else
        {
            Vault.XMsRetryAfterMs = 17_000;
        }
        Vault.AnswerAlways = 429;

        var refused = await Should.ThrowAsync<SigningUnavailableException>(() => signer.SignAsync(Payload, CancellationToken.None));

        refused.RetryAfter.ShouldBe(TimeSpan.FromSeconds(17));
        Vault.Requests.Count(r => r.Authorized && r.PathAndQuery.Contains("/sign", StringComparison.Ordinal)).ShouldBe(1);
    }

    [Fact]
    public async Task The_millisecond_headers_are_preferred_to_Retry_After_as_Azure_Core_prefers_them()
    {
        using var signer = Signer();
        await signer.GetVerificationKeysAsync(CancellationToken.None);
        Vault.RetryAfterSeconds = 1;
        Vault.RetryAfterMs = 16_500;
        Vault.XMsRetryAfterMs = 2_000;
        Vault.AnswerAlways = 503;

        var refused = await Should.ThrowAsync<SigningUnavailableException>(() => signer.SignAsync(Payload, CancellationToken.None));

        refused.RetryAfter.ShouldBe(TimeSpan.FromMilliseconds(16_500));
        Vault.Requests.Count(r => r.Authorized && r.PathAndQuery.Contains("/sign", StringComparison.Ordinal)).ShouldBe(1);
    }

    [Fact]
    public async Task A_short_millisecond_wait_is_retried_though_Retry_After_asks_for_longer()
    {
        using var signer = Signer();
        await signer.GetVerificationKeysAsync(CancellationToken.None);
        Vault.RetryAfterSeconds = 17;
        Vault.XMsRetryAfterMs = 200;
        Vault.Answer(429);

        var signed = await signer.SignAsync(Payload, CancellationToken.None);

        signed.Signature.Length.ShouldBe(64);
        Vault.Requests.Count(r => r.Authorized && r.PathAndQuery.Contains("/sign", StringComparison.Ordinal)).ShouldBe(2);
    }

    [Fact]
    public async Task A_negative_millisecond_wait_asks_for_none_and_is_retried_as_Azure_Core_retries_it()
    {
        using var signer = Signer();
        await signer.GetVerificationKeysAsync(CancellationToken.None);
        Vault.RetryAfterSeconds = null;
        Vault.RetryAfterMs = -5;
        // Not read: Azure.Core reads only the first millisecond header present.
        Vault.XMsRetryAfterMs = 17_000;
        Vault.AnswerAlways = 429;

        var refused = await Should.ThrowAsync<SigningUnavailableException>(() => signer.SignAsync(Payload, CancellationToken.None));

        refused.RetryAfter.ShouldBe(TimeSpan.Zero);
        Vault.Requests.Count(r => r.Authorized && r.PathAndQuery.Contains("/sign", StringComparison.Ordinal)).ShouldBe(4);
    }

    [Fact]
    public async Task Throttling_without_any_wait_header_carries_no_wait()
    {
        using var signer = Signer(maxRetries: 1);
        await signer.GetVerificationKeysAsync(CancellationToken.None);
        Vault.RetryAfterSeconds = null;
        Vault.AnswerAlways = 429;

        var refused = await Should.ThrowAsync<SigningUnavailableException>(() => signer.SignAsync(Payload, CancellationToken.None));

        refused.InnerException.ShouldBeOfType<KeyVaultRequestException>().Status.ShouldBe(429);
        refused.RetryAfter.ShouldBeNull();
    }

    [Fact]
    public async Task A_Retry_After_date_is_read_as_the_wait_until_then()
    {
        using var signer = Signer();
        await signer.GetVerificationKeysAsync(CancellationToken.None);
        Vault.RetryAfterDate = DateTimeOffset.UtcNow.AddMinutes(2);
        Vault.AnswerAlways = 429;

        var refused = await Should.ThrowAsync<SigningUnavailableException>(() => signer.SignAsync(Payload, CancellationToken.None));

        // Two minutes less the time the request took to reach the vault (and an HTTP-date's lost fraction of a second).
        refused.RetryAfter!.Value.TotalSeconds.ShouldBeInRange(60, 121);
    }

    [Fact]
    public async Task A_server_error_naming_no_wait_carries_none()
    {
        using var signer = Signer(maxRetries: 0);
        await signer.GetVerificationKeysAsync(CancellationToken.None);
        Vault.RetryAfterSeconds = null;
        Vault.AnswerAlways = 500;

        var refused = await Should.ThrowAsync<SigningUnavailableException>(() => signer.SignAsync(Payload, CancellationToken.None));

        refused.RetryAfter.ShouldBeNull();
    }

    [Theory]
    [InlineData(408)]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(504)]
    public async Task A_retried_answer_other_than_throttling_hands_on_its_wait_once_the_retries_ran_out(int status)
    {
        using var signer = Signer(maxRetries: 1);
        await signer.GetVerificationKeysAsync(CancellationToken.None);
        Vault.RetryAfterSeconds = null;
        Vault.XMsRetryAfterMs = 300;
        Vault.AnswerAlways = status;

        var refused = await Should.ThrowAsync<SigningUnavailableException>(() => signer.SignAsync(Payload, CancellationToken.None));

        refused.InnerException.ShouldBeOfType<KeyVaultRequestException>().Status.ShouldBe(status);
        refused.RetryAfter.ShouldBe(TimeSpan.FromMilliseconds(300));
        Vault.Requests.Count(r => r.Authorized && r.PathAndQuery.Contains("/sign", StringComparison.Ordinal)).ShouldBe(2);
    }

    [Fact]
    public async Task A_token_without_the_sign_permission_is_403_unavailable_and_logged_as_an_error()
    {
        using var signer = Signer();
        await signer.GetVerificationKeysAsync(CancellationToken.None);
        Vault.Permissions.Remove("sign");

        var refused = await Should.ThrowAsync<SigningUnavailableException>(() => signer.SignAsync(Payload, CancellationToken.None));

        var cause = refused.InnerException.ShouldBeOfType<KeyVaultRequestException>();
        (cause.Status, cause.Code, cause.InnerCode).ShouldBe((403, "Forbidden", "ForbiddenByRbac"));
        Log.Entries.ShouldContain(e => e.Level == LogLevel.Error && e.Message.Contains("Key Vault Crypto User", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_missing_key_is_not_created_unless_configured_and_is_unavailable()
    {
        using var signer = Signer(o => o.CreateIfMissing = false);

        var refused = await Should.ThrowAsync<SigningUnavailableException>(() => signer.SignAsync(Payload, CancellationToken.None));

        refused.InnerException.ShouldBeOfType<KeyVaultRequestException>().Code.ShouldBe("KeyNotFound");
        Vault.Versions(KeyName).ShouldBeEmpty();
        Log.Entries.ShouldContain(e => e.Level == LogLevel.Error);
    }

    [Fact]
    public async Task No_token_from_the_identity_is_unavailable()
    {
        using var signer = Signer();
        Credential.Unavailable = true;

        await Should.ThrowAsync<SigningUnavailableException>(() => signer.SignAsync(Payload, CancellationToken.None));

        Log.Entries.ShouldContain(e => e.Level == LogLevel.Error && e.Message.Contains("No token", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_vault_that_is_down_is_unavailable_while_the_published_keys_are_still_served()
    {
        using var signer = Signer(o => o.RefreshInterval = TimeSpan.Zero, maxRetries: 1);
        var published = await signer.GetVerificationKeysAsync(CancellationToken.None);

        await Vault.StopAsync();

        await Should.ThrowAsync<SigningUnavailableException>(() => signer.SignAsync(Payload, CancellationToken.None));
        (await signer.GetVerificationKeysAsync(CancellationToken.None)).ShouldBe(published);
    }

    [Fact]
    public async Task A_vault_never_reached_publishes_nothing_and_is_unavailable()
    {
        using var signer = Signer(maxRetries: 1);
        await Vault.StopAsync();

        await Should.ThrowAsync<SigningUnavailableException>(() => signer.GetVerificationKeysAsync(CancellationToken.None));
    }
}
