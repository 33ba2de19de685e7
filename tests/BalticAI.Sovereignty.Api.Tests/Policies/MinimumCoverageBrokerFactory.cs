namespace BalticAI.Sovereignty.Api.Tests.Policies;

/// <summary>A broker that activates only bundles whose tests reach every line (Policy:MinimumTestCoverage 100), the shipped one first.</summary>
public sealed class MinimumCoverageBrokerFactory : Fixtures.BrokerFactory
{
    protected override IDictionary<string, string?> Settings
    {
        get
        {
            var settings = base.Settings;
            settings["Policy:MinimumTestCoverage"] = "100";
            return settings;
        }
    }
}
