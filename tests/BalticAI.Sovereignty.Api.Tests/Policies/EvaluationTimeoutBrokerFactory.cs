namespace BalticAI.Sovereignty.Api.Tests.Policies;

/// <summary>
/// A broker whose evaluations may take 1 ms, with the default Policy:TestTimeout. It records the test bundle first, whose
/// one test takes too few steps for the engine ever to look at the clock; the shipped bundle's tests would not pass.
/// </summary>
public sealed class EvaluationTimeoutBrokerFactory : Fixtures.BrokerFactory
{
    public EvaluationTimeoutBrokerFactory() => OpaBrokerFactory.WriteTestBundle(ShippedBundleDirectory, "evaluation-timeout-shipped");

    private string ShippedBundleDirectory => Path.Combine(DataDirectory, "bundle");

    protected override IDictionary<string, string?> Settings
    {
        get
        {
            var settings = base.Settings;
            settings["Policy:BundleDirectory"] = ShippedBundleDirectory;
            settings["Policy:EvaluationTimeout"] = "00:00:00.001";
            return settings;
        }
    }
}
