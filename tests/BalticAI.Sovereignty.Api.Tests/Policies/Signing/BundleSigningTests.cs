using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Policies.ActivatingBundle;
using BalticAI.Sovereignty.Api.Policies.Signing;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;
using static BalticAI.Sovereignty.Api.Tests.Policies.BundleArchives;
using static BalticAI.Sovereignty.Api.Tests.Policies.Signing.SigningBrokerFactory;

namespace BalticAI.Sovereignty.Api.Tests.Policies.Signing;

/// <summary>
/// `Policy:BundleSigning`: a broker that activates only OPA bundle archives signed by its policy board's key, verified
/// as OPA verifies `.signatures.json`, and records the signature with the activation.
/// </summary>
public sealed class BundleSigningTests(SigningBrokerFactory broker) : IClassFixture<SigningBrokerFactory>
{
    private HttpClient PolicyAdmin => broker.ClientFor(TestTenants.EuAiOffice, Roles.PolicyAdmin);

    [Fact]
    public async Task A_signed_archive_is_activated_and_its_activation_records_the_signature()
    {
        await WaitForShippedBundleAsync(broker);
        var files = Files($"signed-{Guid.NewGuid():N}");
        var activations = await CountEventsAsync(broker, "policy_bundle_activated");

        var response = await PolicyAdmin.PostArchiveAsync(Signed(files, broker.Key, SigningBrokerFactory.KeyId, SigningBrokerFactory.Scope));

        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var signature = (await DatasetApi.ReadJsonAsync(response))["signature"]!;
        signature["keyId"]!.GetValue<string>().ShouldBe(SigningBrokerFactory.KeyId);
        signature["algorithm"]!.GetValue<string>().ShouldBe("ES256");
        signature["scope"]!.GetValue<string>().ShouldBe(SigningBrokerFactory.Scope);
        signature["files"]!.AsArray().Select(f => f!.GetValue<string>()).ShouldBe(files.Select(f => f.Path).Order(StringComparer.Ordinal));
        (await CountEventsAsync(broker, "policy_bundle_activated")).ShouldBe(activations + 1);
        var active = await DatasetApi.ReadJsonAsync(await broker.ClientFor(TestTenants.EuAiOffice, Roles.Auditor).GetAsync("/policies/active"));
        active["signature"]!["jwt"]!.GetValue<string>().ShouldBe(signature["jwt"]!.GetValue<string>());
        // The recorded JWT verifies again with the public key alone, as an auditor would check it.
        var parts = signature["jwt"]!.GetValue<string>().Split('.');
        broker.Key.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), System.Buffers.Text.Base64Url.DecodeFromChars(parts[2]),
            HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation).ShouldBeTrue();
    }

    [Fact]
    public async Task The_first_activation_on_a_fresh_ledger_is_the_signed_initial_archive_with_its_signature()
    {
        await WaitForShippedBundleAsync(broker);

        var activations = (await broker.ClientFor(TestTenants.EuAiOffice, Roles.Auditor).GetFromJsonAsync<JsonArray>("/policies/bundles"))!;

        var first = activations[^1]!;
        first["revision"]!.GetValue<string>().ShouldBe(InitialRevision);
        first["activatedBy"]!.GetValue<string>().ShouldBe("balticai-broker");
        first["signature"]!["keyId"]!.GetValue<string>().ShouldBe(KeyId);
        first["signature"]!["scope"]!.GetValue<string>().ShouldBe(Scope);
        first["signature"]!["files"]!.AsArray().Select(f => f!.GetValue<string>()).ShouldBe(Files(InitialRevision).Select(f => f.Path).Order(StringComparer.Ordinal));
        activations.ShouldAllBe(a => a!["signature"] != null);
    }

    [Theory]
    [InlineData("unsigned", "this broker activates signed bundles only")]
    [InlineData("a file changed after signing", "digest mismatch")]
    [InlineData("a file added after signing", "is not included in the bundle signature")]
    [InlineData("a file removed after signing", "is included in the bundle signature but missing from the archive")]
    [InlineData("signed by another key under the board's id", "the signature does not verify with key 'policy-board'")]
    [InlineData("signed by a key the broker does not know", "the signature's key 'someone-else' is not one of Policy:BundleSigning:Keys")]
    [InlineData("signed for another scope", "the signature's scope 'other' is not 'balticai'")]
    [InlineData("two signatures files", "the signatures must be one .signatures.json at the bundle's root")]
    public async Task An_archive_whose_signature_does_not_hold_is_refused_and_nothing_is_recorded(string change, string reason)
    {
        await WaitForShippedBundleAsync(broker);
        var files = Files($"refused-{Guid.NewGuid():N}");
        var signatures = BundleSigner.Sign(files, broker.Key, SigningBrokerFactory.KeyId, SigningBrokerFactory.Scope);
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var sent = change switch
        {
            "unsigned" => files,
            "a file changed after signing" => [.. files.Select(f => f.Path == "access/access.rego" ? f with { Content = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(f.Content) + "\n# changed\n") } : f), Sig(signatures)],
            "a file added after signing" => [.. files, new ArchiveFile("access/extra.rego", Encoding.UTF8.GetBytes("package balticai.extra\n")), Sig(signatures)],
            "a file removed after signing" => [.. files.Where(f => f.Path != "access/access_test.rego"), Sig(signatures)],
            "signed by another key under the board's id" => [.. files, Sig(BundleSigner.Sign(files, other, SigningBrokerFactory.KeyId, SigningBrokerFactory.Scope))],
            "signed by a key the broker does not know" => [.. files, Sig(BundleSigner.Sign(files, broker.Key, "someone-else", SigningBrokerFactory.Scope))],
            "signed for another scope" => [.. files, Sig(BundleSigner.Sign(files, broker.Key, SigningBrokerFactory.KeyId, "other"))],
            "two signatures files" => [.. files, Sig(signatures), new ArchiveFile("access/.signatures.json", signatures)],
            _ => throw new ArgumentOutOfRangeException(nameof(change)),
        };
        var activations = await CountEventsAsync(broker, "policy_bundle_activated");

        var response = await PolicyAdmin.PostArchiveAsync(Of([.. sent.Select(f => ("/" + f.Path, Encoding.UTF8.GetString(f.Content)))]));

        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        response.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity, problem.ToJsonString());
        Reasons(problem).ShouldContain(r => r.Contains(reason), problem.ToJsonString());
        (await CountEventsAsync(broker, "policy_bundle_activated")).ShouldBe(activations);
    }

    [Fact]
    public async Task A_JSON_body_is_refused_since_it_carries_no_signature()
    {
        await WaitForShippedBundleAsync(broker);
        var activations = await CountEventsAsync(broker, "policy_bundle_activated");

        var response = await PolicyAdmin.PostAsJsonAsync("/policies/bundles", Bundle($"json-{Guid.NewGuid():N}"));

        response.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        Reasons(JsonNode.Parse(await response.Content.ReadAsStringAsync())!).ShouldContain(r => r.Contains("a JSON body carries no signature"));
        (await CountEventsAsync(broker, "policy_bundle_activated")).ShouldBe(activations);
    }

    /// <summary>The problem's errors, each as `where: why`.</summary>
    private static List<string> Reasons(JsonNode problem) =>
        problem["errors"]!.AsObject().SelectMany(e => e.Value!.AsArray().Select(r => $"{e.Key}: {r!.GetValue<string>()}")).ToList();
}
