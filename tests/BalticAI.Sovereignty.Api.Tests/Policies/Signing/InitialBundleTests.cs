using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Policies.Signing;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;
using static BalticAI.Sovereignty.Api.Tests.Policies.BundleArchives;
using static BalticAI.Sovereignty.Api.Tests.Policies.Signing.SigningBrokerFactory;

namespace BalticAI.Sovereignty.Api.Tests.Policies.Signing;

/// <summary>
/// The first bundle of a fresh ledger (`Policy:InitialBundle`): a broker that activates signed bundles only never records
/// the unsigned bundle directory it ships, nor an initial archive it would refuse to activate; it decides nothing, says why
/// on `/health/ready`, and stays so until a PolicyAdmin activates a signed bundle.
/// </summary>
public sealed class InitialBundleTests
{
    [Fact]
    public async Task Without_an_initial_archive_a_signing_broker_records_and_grants_nothing_until_a_signed_bundle_is_activated()
    {
        await using var broker = new SigningBrokerFactory(_ => null);
        var policy = await WaitForPolicyCheckAsync(broker, "Degraded", "Policy:InitialBundle");
        policy["description"]!.GetValue<string>().ShouldContain("this broker activates signed bundles only (Policy:BundleSigning)");
        var site = await RegisterSiteAsync(broker, "pl-signed", "PL");
        var job = await RegisterJobAsync(broker, site, commercial: false);
        var dataset = await RegisterDatasetAsync(broker, researchOnly: false);
        var trainingSystem = broker.ClientFor(TestTenants.PlCyfronet, Roles.TrainingSystem);

        var refused = await trainingSystem.PostJsonAsync($"/training-jobs/{job}/access-requests", Ask((dataset, 1)));

        refused.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable, await refused.Content.ReadAsStringAsync());
        refused.Headers.RetryAfter.ShouldNotBeNull();
        (await CountEventsAsync(broker, "policy_bundle_activated")).ShouldBe(0);
        (await CountEventsAsync(broker, "access_decided")).ShouldBe(0);
        (await CountEventsAsync(broker, "grant_issued")).ShouldBe(0);

        var activated = await broker.ClientFor(TestTenants.EuAiOffice, Roles.PolicyAdmin).PostArchiveAsync(Signed(Files("board-first"), broker.Key, KeyId, Scope));

        activated.StatusCode.ShouldBe(HttpStatusCode.Created, await activated.Content.ReadAsStringAsync());
        (await WaitForPolicyCheckAsync(broker, "Healthy", "board-first"))["description"]!.GetValue<string>().ShouldContain("is active");
        var decided = await trainingSystem.PostJsonAsync($"/training-jobs/{job}/access-requests", Ask((dataset, 1)));
        decided.StatusCode.ShouldBe(HttpStatusCode.OK, await decided.Content.ReadAsStringAsync());
        (await CountEventsAsync(broker, "access_decided")).ShouldBe(1);
    }

    [Theory]
    [InlineData("unsigned", "this broker activates signed bundles only")]
    [InlineData("signed by another key under the board's id", "the signature does not verify with key 'policy-board'")]
    [InlineData("not an archive", "The bundle archive is malformed")]
    public async Task An_initial_archive_the_broker_would_not_activate_is_not_recorded_and_the_reason_is_reported(string archive, string reason)
    {
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        await using var broker = new SigningBrokerFactory(key => archive switch
        {
            "unsigned" => Of([.. Files("unsigned-initial").Select(f => ("/" + f.Path, System.Text.Encoding.UTF8.GetString(f.Content)))]),
            "signed by another key under the board's id" => Signed(Files("forged-initial"), other, KeyId, Scope),
            "not an archive" => "not a gzip"u8.ToArray(),
            _ => throw new ArgumentOutOfRangeException(nameof(archive)),
        });

        var policy = await WaitForPolicyCheckAsync(broker, "Degraded", "Policy:InitialBundle");

        var description = policy["description"]!.GetValue<string>();
        description.ShouldContain(broker.InitialBundlePath);
        description.ShouldContain(reason);
        (await broker.CreateClient().GetAsync("/health/ready")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await broker.ClientFor(TestTenants.EuAiOffice, Roles.Auditor).GetAsync("/policies/active")).StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        (await CountEventsAsync(broker, "policy_bundle_activated")).ShouldBe(0);
    }

    [Fact]
    public async Task Without_signing_an_initial_archive_is_recorded_instead_of_the_bundle_directory()
    {
        await using var broker = new InitialArchiveBroker(Of(FilesOf(Bundle("archive-initial"))));

        var active = await WaitForShippedBundleAsync(broker);

        active["revision"]!.GetValue<string>().ShouldBe("archive-initial");
        active["signature"].ShouldBeNull();
        (await CountEventsAsync(broker, "policy_bundle_activated")).ShouldBe(1);
    }

    /// <summary>The `policy-bundle` check of `/health/ready` once it has <paramref name="status"/> and names <paramref name="text"/>.</summary>
    private static async Task<JsonNode> WaitForPolicyCheckAsync(BrokerFactory broker, string status, string text)
    {
        var client = broker.CreateClient();
        JsonNode? check = null;
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var body = JsonNode.Parse(await client.GetStringAsync("/health/ready"))!;
            check = body["checks"]!["policy-bundle"];
            if (check?["status"]?.GetValue<string>() == status && check["description"]?.GetValue<string>().Contains(text) == true)
            {
                return check;
            }
            await Task.Delay(200);
        }
        throw new ShouldAssertException($"the policy-bundle check never was {status} naming '{text}': {check?.ToJsonString()}");
    }

    /// <summary>A broker without bundle signing whose `Policy:InitialBundle` is the given archive.</summary>
    private sealed class InitialArchiveBroker : BrokerFactory
    {
        public InitialArchiveBroker(byte[] archive)
        {
            Directory.CreateDirectory(DataDirectory);
            File.WriteAllBytes(Path, archive);
        }

        private string Path => System.IO.Path.Combine(DataDirectory, "initial-bundle.tar.gz");

        protected override IDictionary<string, string?> Settings
        {
            get
            {
                var settings = base.Settings;
                settings["Policy:InitialBundle"] = Path;
                return settings;
            }
        }
    }
}
