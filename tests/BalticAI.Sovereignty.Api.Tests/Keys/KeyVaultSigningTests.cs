using System.Net;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using BalticAI.Sovereignty.Security;
using BalticAI.Sovereignty.Security.KeyVault;
using BalticAI.Sovereignty.Testing.KeyVault;
using Microsoft.Extensions.DependencyInjection;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;
using static BalticAI.Sovereignty.Api.Tests.Platform.ProblemAndOpenApiTests;

namespace BalticAI.Sovereignty.Api.Tests.Keys;

/// <summary>Grants signed in Key Vault: verifiable through the broker's JWKS across rotations, and 503 when the vault cannot sign.</summary>
public sealed class KeyVaultSigningTests(KeyVaultBrokerFactory broker) : IClassFixture<KeyVaultBrokerFactory>, IAsyncLifetime
{
    private Guid _plSite;

    public async Task InitializeAsync()
    {
        broker.Vault.AnswerAlways = null;
        broker.Vault.RetryAfterSeconds = 1;
        broker.Vault.RetryAfterDate = null;
        broker.Vault.RetryAfterMs = null;
        broker.Vault.XMsRetryAfterMs = null;
        broker.Vault.Permissions.UnionWith(FakeKeyVault.AllPermissions);
        await ActivateAsync(broker, Bundle("key-vault-1"));
        _plSite = await RegisterSiteAsync(broker, $"pl-kv-{Guid.NewGuid():N}"[..20], "PL");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private KeyVaultSigner Signer => broker.Services.GetRequiredService<KeyVaultSigner>();

    [Fact]
    public async Task A_grant_is_signed_in_the_vault_under_the_key_version_and_verifies_with_the_JWKS()
    {
        var token = await GrantAsync();
        var keys = await JwksAsync();

        Jws.TryVerify(token, keys, default, out _, out var kid).ShouldBeTrue();
        kid.ShouldBe(keys[0]["kid"]!.GetValue<string>());
        var version = kid!.Split('/') is [KeyVaultBrokerFactory.KeyName, var v] ? v : throw new ShouldAssertException($"kid {kid} is not name/version");
        broker.Vault.Versions(KeyVaultBrokerFactory.KeyName).ShouldContain(version);
        broker.Vault.Requests.ShouldContain(r => r.Method == "POST" && r.PathAndQuery.StartsWith($"/keys/{KeyVaultBrokerFactory.KeyName}/{version}/sign", StringComparison.Ordinal));
    }

    [Fact]
    public async Task After_a_rotation_grants_carry_the_new_version_and_earlier_grants_still_verify()
    {
        var before = await GrantAsync();

        var rotated = await Signer.RotateAsync(CancellationToken.None);
        var after = await GrantAsync();
        var keys = await JwksAsync();

        Jws.TryVerify(after, keys, default, out _, out var newKid).ShouldBeTrue();
        newKid.ShouldBe(rotated);
        Jws.TryVerify(before, keys, default, out _, out var oldKid).ShouldBeTrue();
        oldKid.ShouldNotBe(rotated);
    }

    [Fact]
    public async Task A_revoked_version_leaves_the_JWKS_and_is_published_as_revoked()
    {
        await GrantAsync();
        var compromised = await Signer.RotateAsync(CancellationToken.None);
        var signedByIt = await GrantAsync();

        await Signer.RevokeAsync(compromised, CancellationToken.None);
        var revoked = JsonNode.Parse(await broker.CreateClient().GetStringAsync("/.well-known/revoked-keys.json"))!["revoked"]!.AsArray();
        var keys = await JwksAsync();

        revoked.Select(r => r!["kid"]!.GetValue<string>()).ShouldContain(compromised);
        revoked.First(r => r!["kid"]!.GetValue<string>() == compromised)!["jwk"]!["x"].ShouldNotBeNull();
        keys.Select(k => k["kid"]!.GetValue<string>()).ShouldNotContain(compromised);
        Jws.TryVerify(signedByIt, keys, default, out _, out _).ShouldBeFalse();
        Jws.TryVerify(await GrantAsync(), keys, default, out _, out var resigned).ShouldBeTrue();
        resigned.ShouldNotBe(compromised);
    }

    [Theory]
    [InlineData(429)]
    [InlineData(503)]
    [InlineData(500)]
    public async Task A_vault_that_keeps_failing_is_503_with_Retry_After_and_nothing_is_granted(int status)
    {
        await GrantAsync();
        var granted = await CountEventsAsync(broker, "grant_issued");
        broker.Vault.AnswerAlways = status;

        var response = await AskAsync();

        await ShouldBeProblemAsync(response, HttpStatusCode.ServiceUnavailable);
        response.Headers.RetryAfter.ShouldNotBeNull();
        (await CountEventsAsync(broker, "grant_issued")).ShouldBe(granted);
    }

    [Theory]
    [InlineData(429, 17, 17)]
    [InlineData(503, 17, 17)]
    [InlineData(500, 17, 17)]
    [InlineData(504, 17, 17)]
    [InlineData(429, 86_400, 300)]
    public async Task A_vault_asking_callers_to_wait_is_503_with_that_wait_bounded_and_nothing_is_granted(int status, int vaultSeconds, int brokerSeconds)
    {
        await GrantAsync();
        var granted = await CountEventsAsync(broker, "grant_issued");
        var decided = await CountEventsAsync(broker, "access_decided");
        broker.Vault.RetryAfterSeconds = vaultSeconds;
        broker.Vault.AnswerAlways = status;

        var response = await AskAsync();

        var problem = await ShouldBeProblemAsync(response, HttpStatusCode.ServiceUnavailable);
        problem["detail"]!.GetValue<string>().ShouldContain("key store");
        response.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(brokerSeconds));
        (await CountEventsAsync(broker, "grant_issued")).ShouldBe(granted);
        (await CountEventsAsync(broker, "access_decided")).ShouldBe(decided);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_vault_wait_in_milliseconds_is_503_with_that_wait_rounded_up_to_seconds(bool xMs)
    {
        await GrantAsync();
        var granted = await CountEventsAsync(broker, "grant_issued");
        broker.Vault.RetryAfterSeconds = null;
        if (xMs)
        {
            broker.Vault.XMsRetryAfterMs = 16_001;
        }
        else
        {
            broker.Vault.RetryAfterMs = 16_001;
        }
        broker.Vault.AnswerAlways = 429;

        var response = await AskAsync();

        await ShouldBeProblemAsync(response, HttpStatusCode.ServiceUnavailable);
        response.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(17));
        (await CountEventsAsync(broker, "grant_issued")).ShouldBe(granted);
    }

    [Fact]
    public async Task A_vault_naming_a_date_to_come_back_is_503_with_the_seconds_until_then()
    {
        await GrantAsync();
        var granted = await CountEventsAsync(broker, "grant_issued");
        broker.Vault.RetryAfterDate = DateTimeOffset.UtcNow.AddSeconds(120);
        broker.Vault.AnswerAlways = 503;

        var response = await AskAsync();

        await ShouldBeProblemAsync(response, HttpStatusCode.ServiceUnavailable);
        // Two minutes less the time this request took to reach the vault (and an HTTP-date's lost fraction of a second).
        response.Headers.RetryAfter!.Delta!.Value.TotalSeconds.ShouldBeInRange(60, 121);
        (await CountEventsAsync(broker, "grant_issued")).ShouldBe(granted);
    }

    [Fact]
    public async Task An_identity_without_the_sign_permission_is_503_and_the_published_keys_are_still_served()
    {
        await GrantAsync();
        broker.Vault.Permissions.Remove("sign");

        var response = await AskAsync();
        var jwks = await broker.CreateClient().GetAsync("/.well-known/jwks.json");

        var problem = await ShouldBeProblemAsync(response, HttpStatusCode.ServiceUnavailable);
        problem["detail"]!.GetValue<string>().ShouldContain("key store");
        jwks.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    private async Task<HttpResponseMessage> AskAsync()
    {
        var job = await RegisterJobAsync(broker, _plSite, commercial: false);
        var dataset = await RegisterDatasetAsync(broker, researchOnly: false);
        return await broker.ClientFor(TestTenants.PlCyfronet, Roles.TrainingSystem).PostJsonAsync($"/training-jobs/{job}/access-requests", Ask((dataset, 1)));
    }

    private async Task<string> GrantAsync()
    {
        var response = await AskAsync();
        var decision = (await DatasetApi.ReadJsonAsync(response))["decisions"]![0]!;
        response.StatusCode.ShouldBe(HttpStatusCode.OK, decision.ToJsonString());
        return decision["grant"]!["token"]!.GetValue<string>();
    }

    private async Task<List<JsonObject>> JwksAsync() =>
        JsonNode.Parse(await broker.CreateClient().GetStringAsync("/.well-known/jwks.json"))!["keys"]!.AsArray().Select(k => k!.AsObject()).ToList();
}
