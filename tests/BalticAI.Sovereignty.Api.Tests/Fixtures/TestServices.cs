namespace BalticAI.Sovereignty.Api.Tests.Fixtures;

/// <summary>The PostgreSQL and RabbitMQ that scripts/test.sh starts on loopback; overridable for other set-ups.</summary>
public static class TestServices
{
    public static string PostgresConnectionString =>
        Environment.GetEnvironmentVariable("BALTICAI_TEST_POSTGRES")
        ?? "Host=127.0.0.1;Port=5432;Database=balticai;Username=balticai;Password=balticai;Timeout=5;Command Timeout=30";

    public static string RabbitMqHost => Environment.GetEnvironmentVariable("BALTICAI_TEST_RABBITMQ_HOST") ?? "127.0.0.1";

    public static string RabbitMqPort => Environment.GetEnvironmentVariable("BALTICAI_TEST_RABBITMQ_PORT") ?? "5672";
}
