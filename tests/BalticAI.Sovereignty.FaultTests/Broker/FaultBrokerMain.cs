using BalticAI.Sovereignty.Api.Feeds;

namespace BalticAI.Sovereignty.FaultTests.Broker;

/// <summary>Runs the broker's own entry point with <see cref="FaultDecisions"/> as a hosting startup.</summary>
public static class FaultBrokerMain
{
    public static int Main(string[] args)
    {
        Environment.SetEnvironmentVariable("ASPNETCORE_HOSTINGSTARTUPASSEMBLIES", typeof(FaultDecisions).Assembly.GetName().Name);
        var entry = typeof(FeedsSetup).Assembly.EntryPoint ?? throw new InvalidOperationException("the broker has no entry point");
        var result = entry.Invoke(null, entry.GetParameters().Length == 0 ? null : [args]);
        return result as int? ?? 0;
    }
}
