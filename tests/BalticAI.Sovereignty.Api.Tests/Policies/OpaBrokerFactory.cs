using System.Net;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Decisions;
using BalticAI.Sovereignty.Api.Tests.Fixtures;

namespace BalticAI.Sovereignty.Api.Tests.Policies;

/// <summary>A broker whose policy engine is OPA, here a <see cref="FakeOpaServer"/> of its own.</summary>
public class OpaBrokerFactory : BrokerFactory
{
    private readonly string? _sharedSchema;

    public OpaBrokerFactory()
        : this(FakeOpaServer.StartNewAsync().GetAwaiter().GetResult(), null)
    {
    }

    private OpaBrokerFactory(FakeOpaServer opa, string? sharedSchema)
    {
        Opa = opa;
        _sharedSchema = sharedSchema;
        WriteTestBundle(ShippedBundleDirectory, "opa-shipped");
    }

    public FakeOpaServer Opa { get; }

    protected override IDictionary<string, string?> Settings
    {
        get
        {
            var settings = base.Settings;
            settings["Policy:Engine"] = "opa";
            settings["Policy:OpaUrl"] = Opa.Url.ToString();
            // Every decision checks what OPA holds, so a test need not wait out the interval it would trust it.
            settings["Policy:OpaVerifyInterval"] = "00:00:00";
            settings["Policy:BundleDirectory"] = ShippedBundleDirectory;
            if (_sharedSchema is not null)
            {
                settings["Marten:Schema"] = _sharedSchema;
            }
            return settings;
        }
    }

    /// <summary>The bundle a fresh ledger records first: the test bundle, so that what OPA must hold is small and known.</summary>
    public string ShippedBundleDirectory => Path.Combine(DataDirectory, "bundle");

    /// <summary>A second broker node on this one's ledger, with an OPA of its own that starts empty.</summary>
    public static async Task<OpaBrokerFactory> SecondNodeAsync(BrokerFactory first) =>
        new(await FakeOpaServer.StartNewAsync(), first.Schema);

    /// <summary>Waits (bounded) until the keeper has loaded the active bundle; its digest.</summary>
    public async Task<string> WaitUntilActiveAsync()
    {
        var client = ClientFor(TestTenants.EuAiOffice, Roles.Auditor);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var response = await client.GetAsync("/policies/active");
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return (await Datasets.DatasetApi.ReadJsonAsync(response))["digest"]!.GetValue<string>();
            }
            DateTime.UtcNow.ShouldBeLessThan(deadline, $"no active bundle after 20 s: {await response.Content.ReadAsStringAsync()}");
            await Task.Delay(250);
        }
    }

    /// <summary>Writes the test bundle as a bundle directory, for a broker to record first instead of policies/.</summary>
    internal static void WriteTestBundle(string directory, string revision)
    {
        Directory.CreateDirectory(Path.Combine(directory, "access"));
        Directory.CreateDirectory(Path.Combine(directory, "data"));
        File.WriteAllText(Path.Combine(directory, "access", "access.rego"), DecisionWorld.TestPolicy);
        File.WriteAllText(Path.Combine(directory, "access", "access_test.rego"), DecisionWorld.TestPolicyTests);
        File.WriteAllText(Path.Combine(directory, "data", "countries.json"), DecisionWorld.Bundle("shipped")["data"]!.ToJsonString());
        File.WriteAllText(Path.Combine(directory, ".manifest"), $$"""{"revision": "{{revision}}"}""");
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Opa.DisposeAsync();
    }
}
