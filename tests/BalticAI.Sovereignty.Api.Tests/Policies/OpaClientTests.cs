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
        var shipped = PolicyBundleLoader.Load(DecisionWorld.ShippedPolicies());
        var client = new OpaClient(_http);

        await client.LoadAsync(shipped, CancellationToken.None);

        (await client.HoldsAsync(shipped, CancellationToken.None)).ShouldBeTrue();
        _opa.Store.Modules.Keys.ShouldBe(shipped.Modules.Select(m => m.Path).Append(OpaPin.PolicyId), ignoreOrder: true);
        // OPA refused at least one module on the first pass: the retry is what made the load complete.
        _opa.Exchanges.ShouldContain(e => e.Method == "PUT" && e.Status == 400);
    }

    [Fact]
    public async Task Replacing_a_bundle_removes_stale_modules_even_when_a_loaded_one_still_calls_them()
    {
        var client = new OpaClient(_http);
        await client.LoadAsync(PolicyBundleLoader.Load(DecisionWorld.ShippedPolicies()), CancellationToken.None);
        var small = TestBundle();

        await client.LoadAsync(small, CancellationToken.None);

        (await client.HoldsAsync(small, CancellationToken.None)).ShouldBeTrue();
        _opa.Store.Modules.Keys.ShouldBe(["access/access.rego", "access/access_test.rego", OpaPin.PolicyId], ignoreOrder: true);
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
    public async Task The_pinned_query_answers_the_decision_with_the_digest_of_the_bundle_loaded_last()
    {
        var client = new OpaClient(_http);
        var first = TestBundle();
        var second = TestBundle("EE");
        var input = PlainDatasetOnPolishSite();

        await client.LoadAsync(first, CancellationToken.None);
        var underFirst = OpaPin.Unpin(await client.EvaluateAsync(OpaPin.Query, input, CancellationToken.None), first);
        await client.LoadAsync(second, CancellationToken.None);
        var pinned = await client.EvaluateAsync(OpaPin.Query, input, CancellationToken.None);

        underFirst!["allow"]!.GetValue<bool>().ShouldBeTrue();
        OpaPin.Unpin(pinned, second)!["allow"]!.GetValue<bool>().ShouldBeFalse();
        Should.Throw<PolicyEngineUnavailableException>(() => OpaPin.Unpin(pinned, first)).Message.ShouldContain("not the recorded small");
        (await client.HoldsAsync(second, CancellationToken.None)).ShouldBeTrue();
        (await client.HoldsAsync(first, CancellationToken.None)).ShouldBeFalse();
    }

    [Fact]
    public async Task While_a_load_is_under_way_the_pinned_query_names_no_bundle_and_holds_is_false()
    {
        var client = new OpaClient(_http);
        var bundle = TestBundle();
        await client.LoadAsync(bundle, CancellationToken.None);
        var pinnedDuringLoad = new List<JsonNode?>();
        var input = PlainDatasetOnPolishSite();
        // Every write of the next load is followed by an evaluation, as a concurrent decision could interleave.
        _opa.AfterEachWrite = async () => pinnedDuringLoad.Add(await new OpaClient(_opa.CreateClient()).EvaluateAsync(OpaPin.Query, input, CancellationToken.None));
        var other = TestBundle("EE");

        await client.LoadAsync(other, CancellationToken.None);
        _opa.AfterEachWrite = null;

        // Unpinned first, then data and modules, pinned last: only the last write names a bundle, the one it completed.
        pinnedDuringLoad.Count.ShouldBeGreaterThan(2);
        pinnedDuringLoad.SkipLast(1).ShouldAllBe(result => result == null);
        OpaPin.Unpin(pinnedDuringLoad[^1], other).ShouldNotBeNull();
        Should.Throw<PolicyEngineUnavailableException>(() => OpaPin.Unpin(null, other)).Message.ShouldContain("holds no bundle loaded by the broker");
        _opa.Store.DeleteModule(OpaPin.PolicyId).ShouldBe([]);
        (await client.HoldsAsync(other, CancellationToken.None)).ShouldBeFalse();
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

    [Fact]
    public async Task A_queried_reference_answers_its_value_with_the_digest_of_the_bundle_loaded_last()
    {
        var client = new OpaClient(_http);
        var first = TestBundle();
        var second = TestBundle("EE");
        var query = OpaPin.QueryOf("data.balticai.allowedCountries");

        await client.LoadAsync(first, CancellationToken.None);
        var underFirst = OpaPin.UnpinQuery(await client.QueryAsync(query, new JsonObject(), CancellationToken.None), first);
        await client.LoadAsync(second, CancellationToken.None);
        var results = await client.QueryAsync(query, new JsonObject(), CancellationToken.None);

        underFirst!.AsArray().Select(c => c!.GetValue<string>()).ShouldBe(["PL", "EE", "LT", "LV"]);
        OpaPin.UnpinQuery(results, second)!.AsArray().Select(c => c!.GetValue<string>()).ShouldBe(["EE"]);
        Should.Throw<PolicyEngineUnavailableException>(() => OpaPin.UnpinQuery(results, first)).Message.ShouldContain("not the recorded small");
        _opa.Exchanges.Where(e => e.Method == "POST").Select(e => (e.Path, e.Status)).ShouldBe([("/v1/query", 200), ("/v1/query", 200)]);
    }

    [Fact]
    public async Task An_undefined_reference_is_null_but_a_missing_pin_is_unavailable()
    {
        var client = new OpaClient(_http);
        var bundle = TestBundle();
        await client.LoadAsync(bundle, CancellationToken.None);
        var undefined = OpaPin.QueryOf("data.balticai.access.no_such_rule");

        OpaPin.UnpinQuery(await client.QueryAsync(undefined, new JsonObject(), CancellationToken.None), bundle).ShouldBeNull();
        _opa.Store.DeleteModule(OpaPin.PolicyId).ShouldBe([]);
        var unpinned = await client.QueryAsync(undefined, new JsonObject(), CancellationToken.None);

        unpinned.ShouldBeEmpty();
        Should.Throw<PolicyEngineUnavailableException>(() => OpaPin.UnpinQuery(unpinned, bundle)).Message.ShouldContain("holds no bundle loaded by the broker");
    }

    [Fact]
    public async Task Keys_of_a_queried_reference_are_quoted_so_they_cannot_add_Rego()
    {
        var client = new OpaClient(_http);
        var bundle = TestBundle();
        await client.LoadAsync(bundle, CancellationToken.None);
        // Unquoted, this would read allowedCountries and add a statement of its own.
        var query = OpaPin.QueryOf("data.balticai.allowedCountries]; y := [1");

        OpaPin.UnpinQuery(await client.QueryAsync(query, new JsonObject(), CancellationToken.None), bundle).ShouldBeNull();
        query.ShouldEndWith("""data["balticai"]["allowedCountries]; y := [1"]]""");
    }

    [Fact]
    public async Task A_query_OPA_cannot_parse_is_its_400_error_and_the_engine_unavailable()
    {
        var client = new OpaClient(_http);

        var error = await Should.ThrowAsync<PolicyEngineUnavailableException>(() => client.QueryAsync("x := [", new JsonObject(), CancellationToken.None));

        error.Message.ShouldStartWith("OPA answered 400 invalid_parameter: error(s) occurred while parsing query");
        var malformed = await _http.PostAsync("v1/query", new StringContent("{\"query\": ", System.Text.Encoding.UTF8, "application/json"));
        var body = JsonNode.Parse(await malformed.Content.ReadAsStringAsync())!;
        ((int)malformed.StatusCode, body["code"]!.GetValue<string>()).ShouldBe((400, "invalid_parameter"));
        body["message"]!.GetValue<string>().ShouldStartWith("error(s) occurred while decoding request");
    }

    private static JsonObject PlainDatasetOnPolishSite() => new()
    {
        ["dataset"] = new JsonObject { ["status"] = "active", ["licensing"] = new JsonObject { ["restrictions"] = new JsonArray() } },
        ["job"] = new JsonObject { ["commercial"] = false },
        ["site"] = new JsonObject { ["country"] = "PL" },
    };

    /// <summary>The small test bundle; its digest is fixed at construction, so other data must be given here.</summary>
    private static PolicyBundle TestBundle(params string[] allowedCountries)
    {
        var data = DecisionWorld.Bundle("small")["data"]!.DeepClone();
        if (allowedCountries.Length > 0)
        {
            data["allowedCountries"] = new JsonArray(allowedCountries.Select(c => (JsonNode)c).ToArray());
        }
        return new PolicyBundle("small",
            [new BundleModule("access/access.rego", DecisionWorld.TestPolicy), new BundleModule("access/access_test.rego", DecisionWorld.TestPolicyTests)],
            new JsonObject { [PolicyBundleLoader.DataRoot] = data });
    }
}
