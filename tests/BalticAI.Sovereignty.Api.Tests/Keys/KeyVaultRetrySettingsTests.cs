using System.Net;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;
using static BalticAI.Sovereignty.Api.Tests.Platform.ProblemAndOpenApiTests;

namespace BalticAI.Sovereignty.Api.Tests.Keys;

/// <summary>`Signing:KeyVault:Retry:*` decides which failed Key Vault answers the broker tries again before its 503.</summary>
public sealed class KeyVaultRetrySettingsTests
{
    [Fact]
    public async Task With_MaxRetries_0_a_503_from_the_vault_is_not_retried_and_the_broker_answers_503_recording_nothing()
    {
        await using var broker = new RetryBroker(("MaxRetries", "0"));
        var world = await WorldAsync(broker);

        var (response, signs) = await AskAsync(broker, world, 503);

        await ShouldBeProblemAsync(response, HttpStatusCode.ServiceUnavailable);
        signs.ShouldBe(1);
        (await CountEventsAsync(broker, "grant_issued")).ShouldBe(world.Granted);
        (await CountEventsAsync(broker, "access_decided")).ShouldBe(world.Decided);
    }

    [Fact]
    public async Task With_LongestRetriedWait_0_a_429_asking_for_1_s_is_not_retried_and_its_wait_is_the_brokers_Retry_After()
    {
        await using var broker = new RetryBroker(("LongestRetriedWait", "00:00:00"));
        var world = await WorldAsync(broker);
        broker.Vault.RetryAfterSeconds = 1;

        var (response, signs) = await AskAsync(broker, world, 429);

        await ShouldBeProblemAsync(response, HttpStatusCode.ServiceUnavailable);
        response.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(1));
        signs.ShouldBe(1);
        (await CountEventsAsync(broker, "grant_issued")).ShouldBe(world.Granted);
        (await CountEventsAsync(broker, "access_decided")).ShouldBe(world.Decided);
    }

    [Theory]
    [InlineData(503)]
    [InlineData(429)]
    public async Task With_the_default_retries_a_vault_failing_once_is_retried_and_the_grant_is_issued(int status)
    {
        await using var broker = new RetryBroker();
        var world = await WorldAsync(broker);
        broker.Vault.RetryAfterSeconds = 1;

        var (response, signs) = await AskAsync(broker, world, status);

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        signs.ShouldBe(world.SignsPerGrant + 1);
        (await CountEventsAsync(broker, "grant_issued")).ShouldBe(world.Granted + 1);
    }

    private sealed record World(Guid Site, int SignsPerGrant, long Granted, long Decided);

    /// <summary>A bundle, a site and one grant issued without a fault, counting the vault's signatures it took.</summary>
    private static async Task<World> WorldAsync(RetryBroker broker)
    {
        await ActivateAsync(broker, Bundle("key-vault-retry"));
        var site = await RegisterSiteAsync(broker, $"pl-kvr-{Guid.NewGuid():N}"[..20], "PL");
        var (first, signs) = await AskAsync(broker, new World(site, 0, 0, 0), fault: null);
        first.StatusCode.ShouldBe(HttpStatusCode.OK, await first.Content.ReadAsStringAsync());
        return new World(site, signs, await CountEventsAsync(broker, "grant_issued"), await CountEventsAsync(broker, "access_decided"));
    }

    /// <summary>An access request whose first Key Vault request is answered with <paramref name="fault"/>, and the signatures asked for.</summary>
    private static async Task<(HttpResponseMessage Response, int Signs)> AskAsync(RetryBroker broker, World world, int? fault)
    {
        var job = await RegisterJobAsync(broker, world.Site, commercial: false);
        var dataset = await RegisterDatasetAsync(broker, researchOnly: false);
        broker.Vault.Requests.Clear();
        if (fault is { } status)
        {
            broker.Vault.Answer(status);
        }
        var response = await broker.ClientFor(TestTenants.PlCyfronet, Roles.TrainingSystem)
            .PostJsonAsync($"/training-jobs/{job}/access-requests", Ask((dataset, 1)));
        var signs = broker.Vault.Requests.Count(r => r.Method == "POST" && r.PathAndQuery.Split('?')[0].EndsWith("/sign", StringComparison.Ordinal));
        return (response, signs);
    }

    /// <summary>A Key Vault broker with the real default retries but for the settings given (Signing:KeyVault:Retry:*).</summary>
    private sealed class RetryBroker(params (string Key, string Value)[] retry) : KeyVaultBrokerFactory
    {
        protected override IDictionary<string, string?> Settings
        {
            get
            {
                var settings = base.Settings.Where(s => !s.Key.StartsWith("Signing:KeyVault:Retry:", StringComparison.Ordinal)).ToDictionary();
                foreach (var (key, value) in retry)
                {
                    settings[$"Signing:KeyVault:Retry:{key}"] = value;
                }
                return settings;
            }
        }
    }
}
