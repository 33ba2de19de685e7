using System.Reflection;

namespace BalticAI.Sovereignty.FaultTests.Fixtures;

/// <summary>Where the build put the programs these tests start (recorded at build time).</summary>
public static class Paths
{
    public static string BrokerDll => Metadata("BrokerDll");

    public static string BrokerContentRoot => Metadata("BrokerContentRoot");

    public static string InboxDll => Metadata("InboxDll");

    public static string FaultRabbitMqScript => Metadata("FaultRabbitMqScript");

    public static string Postgres => Environment.GetEnvironmentVariable("BALTICAI_TEST_POSTGRES")
        ?? "Host=127.0.0.1;Port=5432;Database=balticai;Username=balticai;Password=balticai;Timeout=5;Command Timeout=30";

    private static string Metadata(string key) => Path.GetFullPath(
        typeof(Paths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!);
}
