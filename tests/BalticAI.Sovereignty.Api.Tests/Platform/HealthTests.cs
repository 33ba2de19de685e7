using System.Net;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Tests.Fixtures;

namespace BalticAI.Sovereignty.Api.Tests.Platform;

public sealed class HealthTests(BrokerFactory broker) : IClassFixture<BrokerFactory>
{
    [Fact]
    public async Task Live_answers_without_a_token()
    {
        var response = await broker.CreateClient().GetAsync("/health/live");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Ready_checks_postgresql_and_rabbitmq_for_real()
    {
        var client = broker.CreateClient();

        var body = await WaitForAsync(client, "Healthy");

        body["checks"]!["postgresql"]!["status"]!.GetValue<string>().ShouldBe("Healthy");
        body["checks"]!["rabbitmq"]!["status"]!.GetValue<string>().ShouldBe("Healthy");
    }

    /// <summary>The bus connects in the background; readiness may take a moment after start.</summary>
    internal static async Task<JsonObject> WaitForAsync(HttpClient client, string status)
    {
        JsonObject? body = null;
        for (var attempt = 0; attempt < 60; attempt++)
        {
            var response = await client.GetAsync("/health/ready");
            body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
            if (body["status"]!.GetValue<string>() == status)
            {
                return body;
            }
            await Task.Delay(250);
        }
        throw new ShouldAssertException($"/health/ready never reported {status}: {body}");
    }
}

public sealed class UnreachableRabbitMqBroker : BrokerFactory
{
    protected override IDictionary<string, string?> Settings
    {
        get
        {
            var settings = base.Settings;
            // Nothing listens on port 1 of loopback: the bus can never connect.
            settings["RabbitMq:Port"] = "1";
            return settings;
        }
    }
}

public sealed class HealthWithoutRabbitMqTests(UnreachableRabbitMqBroker broker) : IClassFixture<UnreachableRabbitMqBroker>
{
    [Fact]
    public async Task Rabbitmq_down_is_degraded_but_still_ready()
    {
        var client = broker.CreateClient();

        var body = await HealthTests.WaitForAsync(client, "Degraded");
        var response = await client.GetAsync("/health/ready");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        body["checks"]!["rabbitmq"]!["status"]!.GetValue<string>().ShouldBe("Degraded");
        body["checks"]!["postgresql"]!["status"]!.GetValue<string>().ShouldBe("Healthy");
    }
}

public sealed class UnreachablePostgresBroker : BrokerFactory
{
    protected override IDictionary<string, string?> Settings
    {
        get
        {
            var settings = base.Settings;
            settings["ConnectionStrings:Postgres"] = "Host=127.0.0.1;Port=1;Database=balticai;Username=balticai;Password=balticai;Timeout=2";
            settings["Marten:ApplySchemaOnStartup"] = "false";
            return settings;
        }
    }
}

public sealed class HealthWithoutPostgresTests(UnreachablePostgresBroker broker) : IClassFixture<UnreachablePostgresBroker>
{
    [Fact]
    public async Task Postgresql_down_makes_the_broker_unready()
    {
        var response = await broker.CreateClient().GetAsync("/health/ready");
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        body["checks"]!["postgresql"]!["status"]!.GetValue<string>().ShouldBe("Unhealthy");
    }

    [Fact]
    public async Task Live_stays_up_while_postgresql_is_down()
    {
        var response = await broker.CreateClient().GetAsync("/health/live");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
