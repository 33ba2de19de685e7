namespace BalticAI.Sovereignty.Api.Tests.Keys;

/// <summary>A key the vault does not have, or may not give the broker, stops the broker at start-up with the settings named.</summary>
public sealed class KeyVaultStartupTests
{
    [Fact]
    public async Task A_missing_key_stops_the_broker_naming_the_key_and_vault_settings()
    {
        await using var broker = new MisconfiguredBroker(createIfMissing: false);

        var failed = Should.Throw<InvalidOperationException>(() => broker.CreateClient());

        failed.Message.ShouldContain("Signing:KeyVault:KeyName 'broker-signing'");
        failed.Message.ShouldContain("KeyNotFound");
    }

    [Fact]
    public async Task An_identity_that_may_not_list_versions_stops_the_broker()
    {
        await using var broker = new MisconfiguredBroker(createIfMissing: true);
        broker.Vault.CreateKey(KeyVaultBrokerFactory.KeyName);
        broker.Vault.Permissions.Remove("list");

        var failed = Should.Throw<InvalidOperationException>(() => broker.CreateClient());

        failed.Message.ShouldContain("Forbidden");
    }

    [Fact]
    public async Task A_vault_that_is_down_at_start_up_does_not_stop_the_broker_which_answers_503_for_its_keys()
    {
        await using var broker = new MisconfiguredBroker(createIfMissing: true);
        await broker.Vault.StopAsync();

        var response = await broker.CreateClient().GetAsync("/.well-known/jwks.json");

        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.ServiceUnavailable);
        response.Headers.RetryAfter.ShouldNotBeNull();
    }

    private sealed class MisconfiguredBroker(bool createIfMissing) : KeyVaultBrokerFactory
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
        {
            ["Signing:KeyVault:CreateIfMissing"] = createIfMissing ? "true" : "false",
        };
    }
}
