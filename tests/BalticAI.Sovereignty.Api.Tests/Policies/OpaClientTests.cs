using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Policies.Bundles;
using BalticAI.Sovereignty.Api.Policies.Engines;
using BalticAI.Sovereignty.Api.Policies.Engines.Opa;
using BalticAI.Sovereignty.Api.Tests.Decisions;

namespace BalticAI.Sovereignty.Api.Tests.Policies;

/// <summary>The OPA client alone against the fake OPA: loading whole bundles through the one-module-at-a-time Policy API.</summary>
public sealed class OpaClientTests : IAsyncLifetime
{
    private FakeOpaServer _opa = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _opa = await FakeOpaServer.StartNewAsync();
        _http = _opa.CreateClient();
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _opa.DisposeAsync();
    }

    [Fact]
    public async Task The_shipped_bundle_loads_although_its_modules_call_functions_of_modules_loaded_later()
    {
        var shipped = PolicyBundleLoader.Load(ShippedPolicies());
        var client = new OpaClient(_http);

        await client.LoadAsync(shipped, CancellationToken.None);

        (await client.HoldsAsync(shipped, CancellationToken.None)).ShouldBeTrue();
        _opa.Store.Modules.Keys.ShouldBe(shipped.Modules.Select(m => m.Path), ignoreOrder: true);
        // OPA refused at least one module on the first pass: the retry is what made the load complete.
        _opa.Exchanges.ShouldContain(e => e.Method == "PUT" && e.Status == 400);
    }

    [Fact]
    public async Task Replacing_a_bundle_removes_stale_modules_even_when_a_loaded_one_still_calls_them()
    {
        var client = new OpaClient(_http);
        await client.LoadAsync(PolicyBundleLoader.Load(ShippedPolicies()), CancellationToken.None);
        var small = TestBundle();

        await client.LoadAsync(small, CancellationToken.None);

        (await client.HoldsAsync(small, CancellationToken.None)).ShouldBeTrue();
        _opa.Store.Modules.Keys.ShouldBe(["access/access.rego", "access/access_test.rego"]);
        // lib/lib.rego could only go once the rules calling its functions were gone.
        _opa.Exchanges.ShouldContain(e => e.Method == "DELETE" && e.Path == "/v1/policies/lib/lib.rego" && e.Status == 400);
    }

    [Fact]
    public async Task Holds_is_false_when_a_data_key_differs_or_is_missing()
    {
        var client = new OpaClient(_http);
        var bundle = TestBundle();
        await client.LoadAsync(bundle, CancellationToken.None);
        var changed = TestBundle();
        changed.Data[PolicyBundleLoader.DataRoot]!["allowedCountries"] = new JsonArray("PL");
        var extraKey = TestBundle();
        extraKey.Data[PolicyBundleLoader.DataRoot]!["sites"] = new JsonArray();

        (await client.HoldsAsync(bundle, CancellationToken.None)).ShouldBeTrue();
        (await client.HoldsAsync(changed, CancellationToken.None)).ShouldBeFalse();
        (await client.HoldsAsync(extraKey, CancellationToken.None)).ShouldBeFalse();
    }

    [Fact]
    public async Task A_module_OPA_refuses_on_every_pass_is_reported_with_OPAs_errors()
    {
        _opa.Store.WithoutBuiltin("strings.reverse");
        var client = new OpaClient(_http);
        var refused = new PolicyBundle("refused", [new BundleModule("x/x.rego", "package balticai.x\n\ny := strings.reverse(\"a\")\n")],
            new JsonObject { [PolicyBundleLoader.DataRoot] = new JsonObject() });

        var error = await Should.ThrowAsync<PolicyBundleInvalidException>(() => client.LoadAsync(refused, CancellationToken.None));

        error.Message.ShouldBe("OPA refused module x/x.rego: error(s) occurred while compiling module(s)");
        error.Errors.ShouldBe(["x/x.rego:3:6: rego_type_error: undefined function strings.reverse"]);
    }

    private static PolicyBundle TestBundle()
    {
        var request = DecisionWorld.Bundle("small");
        return new PolicyBundle("small",
            [new BundleModule("access/access.rego", DecisionWorld.TestPolicy), new BundleModule("access/access_test.rego", DecisionWorld.TestPolicyTests)],
            new JsonObject { [PolicyBundleLoader.DataRoot] = request["data"]!.DeepClone() });
    }

    /// <summary>The repository's policies/ directory, found upwards from the test binaries.</summary>
    private static string ShippedPolicies()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "policies");
            if (File.Exists(Path.Combine(directory.FullName, "BalticAI.Sovereignty.sln")) && Directory.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new DirectoryNotFoundException("no policies/ directory above " + AppContext.BaseDirectory);
    }
}
