namespace BalticAI.Sovereignty.Api.Tests.Policies;

/// <summary>
/// A broker that gives a bundle's tests 1 ms at activation. It records the test bundle first, whose one test takes
/// too few steps for the engine ever to look at the cancellation; the shipped bundle's tests would not finish.
/// </summary>
public sealed class TestTimeoutBrokerFactory : Fixtures.BrokerFactory
{
    public const string TestTimeout = "00:00:00.001";

    public TestTimeoutBrokerFactory() => OpaBrokerFactory.WriteTestBundle(ShippedBundleDirectory, "test-timeout-shipped");

    private string ShippedBundleDirectory => Path.Combine(DataDirectory, "bundle");

    protected override IDictionary<string, string?> Settings
    {
        get
        {
            var settings = base.Settings;
            settings["Policy:BundleDirectory"] = ShippedBundleDirectory;
            settings["Policy:TestTimeout"] = TestTimeout;
            return settings;
        }
    }
}
