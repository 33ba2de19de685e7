using BalticAI.Sovereignty.Api.Tests.Policies;
using Microsoft.Extensions.Configuration;
using YamlDotNet.RepresentationModel;
using static BalticAI.Sovereignty.Api.Tests.Platform.StartupFailures;

namespace BalticAI.Sovereignty.Api.Tests.Platform;

/// <summary>
/// docker-compose.yml cannot be run here (no Docker engine), so the broker's settings in it are held to the
/// start-up checks instead: a user's `docker compose up` must not be the first to find a wrong key.
/// </summary>
public sealed class ComposeConfigurationTests
{
    private static readonly string ComposeFile = RepositoryFiles.Path("docker-compose.yml");

    [Fact]
    public void The_compose_brokers_settings_pass_every_start_up_check()
    {
        var settings = BrokerEnvironment();
        settings.ShouldContainKey("ConnectionStrings:Postgres");
        settings.ShouldContainKey("Telemetry:Otlp:Endpoint");

        // One key known to be wrong makes the start fail at the checks; that it is the only one listed shows that
        // every compose setting passed them.
        settings["Api:RequestTimeout"] = "00:30:00";
        var message = StartFailure("Development", settings);

        message.ShouldContain("Api:RequestTimeout is 00:30:00");
        Failures(message).ShouldBe(1);
    }

    [Fact]
    public void The_compose_broker_exports_telemetry_to_the_compose_collector_on_a_port_it_receives_on()
    {
        var root = Compose();
        var services = (YamlMappingNode)root["services"];
        services.Children.ShouldContainKey(new YamlScalarNode("otel-collector"));
        var endpoint = new Uri(BrokerEnvironment()["Telemetry:Otlp:Endpoint"]!);
        endpoint.Host.ShouldBe("otel-collector");

        var config = new YamlStream();
        config.Load(new StringReader(((YamlScalarNode)root["configs"]["otel-collector"]["content"]).Value!));
        var grpc = (YamlScalarNode)config.Documents[0].RootNode["receivers"]["otlp"]["protocols"]["grpc"]["endpoint"];
        grpc.Value.ShouldBe($"0.0.0.0:{endpoint.Port}");
    }

    [Fact]
    public void The_compose_inbox_is_an_authority_of_the_brokers_feeds_and_reaches_the_broker_and_its_dependencies_as_the_broker_does()
    {
        var inbox = Environment("inbox-pl-uodo");
        var broker = BrokerEnvironment();
        var feeds = new ConfigurationBuilder().AddJsonFile(RepositoryFiles.Path("src", "BalticAI.Sovereignty.Api", "appsettings.json")).Build();
        var listening = File.ReadAllLines(RepositoryFiles.Path("src", "BalticAI.Sovereignty.Api", "Dockerfile"))
            .Select(l => l.Trim()).Single(l => l.StartsWith("ENV ASPNETCORE_URLS=", StringComparison.Ordinal));

        feeds[$"Feeds:Authorities:{inbox["Inbox:Authority"]}:Feed"].ShouldBe(inbox["Inbox:Feed"]);
        var address = new Uri(inbox["Inbox:Broker"]!);
        address.Host.ShouldBe("broker");
        listening.ShouldStartWith($"ENV ASPNETCORE_URLS=http://0.0.0.0:{address.Port} ");
        foreach (var key in new[] { "ConnectionStrings:Postgres", "RabbitMq:Host", "RabbitMq:Username", "RabbitMq:Password" })
        {
            inbox[key].ShouldBe(broker[key], key);
        }
    }

    [Fact]
    public void The_compose_witness_is_registered_with_the_broker_by_its_name_and_the_key_its_key_step_writes_before_the_broker_starts()
    {
        var services = (YamlMappingNode)Compose()["services"];
        var step = (YamlMappingNode)services["inbox-pl-uodo-witness-key"];
        var stepEnvironment = Environment("inbox-pl-uodo-witness-key");
        var inbox = Environment("inbox-pl-uodo");
        var broker = BrokerEnvironment();
        var command = ((YamlSequenceNode)step["command"]).Children.Select(c => ((YamlScalarNode)c).Value!).ToList();
        var tenants = new ConfigurationBuilder().AddJsonFile(RepositoryFiles.Path("src", "BalticAI.Sovereignty.Api", "appsettings.Development.json")).Build();

        command[0].ShouldBe("witness-key");
        var publicKeyFile = command[command.IndexOf("--public-key-file") + 1];
        broker["Ledger:Witnesses:0:PublicKeyFile"].ShouldBe(publicKeyFile);
        broker["Ledger:Witnesses:0:Name"].ShouldBe(inbox["Inbox:Witness:Name"]);
        inbox["Inbox:Witness:Enabled"].ShouldBe("true");
        stepEnvironment["Inbox:Witness:KeyFile"].ShouldBe(inbox["Inbox:Witness:KeyFile"]);
        // Each file passes through a volume both services mount at the file's directory.
        VolumeHolding("inbox-pl-uodo-witness-key", publicKeyFile).ShouldBe(VolumeHolding("broker", publicKeyFile));
        VolumeHolding("inbox-pl-uodo-witness-key", inbox["Inbox:Witness:KeyFile"]!).ShouldBe(VolumeHolding("inbox-pl-uodo", inbox["Inbox:Witness:KeyFile"]!));
        inbox["Inbox:Witness:DevelopmentIssuerKeyFile"].ShouldBe(broker["Identity:DevelopmentIssuer:KeyPath"]);
        VolumeHolding("inbox-pl-uodo", broker["Identity:DevelopmentIssuer:KeyPath"]!).ShouldBe(VolumeHolding("broker", broker["Identity:DevelopmentIssuer:KeyPath"]!));
        tenants[$"Tenants:{inbox["Inbox:Witness:TenantId"]}:Organisation"].ShouldBe(inbox["Inbox:Authority"]);
        ((YamlScalarNode)services["broker"]["depends_on"]["inbox-pl-uodo-witness-key"]["condition"]).Value.ShouldBe("service_completed_successfully");
        ((YamlMappingNode)services["inbox-pl-uodo-witness-key"]).Children.ShouldNotContainKey(new YamlScalarNode("ports"));
    }

    /// <summary>The named volume the service mounts at the file's directory.</summary>
    private static string VolumeHolding(string service, string file)
    {
        var directory = Path.GetDirectoryName(file)!;
        var mounts = ((YamlSequenceNode)Compose()["services"][service]["volumes"]).Children.Select(v => ((YamlScalarNode)v).Value!.Split(':'));
        return mounts.Single(m => m[1] == directory)[0];
    }

    private static Dictionary<string, string?> BrokerEnvironment() => Environment("broker");

    private static Dictionary<string, string?> Environment(string service)
    {
        var environment = (YamlMappingNode)Compose()["services"][service]["environment"];
        return environment.Children.ToDictionary(
            entry => ((YamlScalarNode)entry.Key).Value!.Replace("__", ":", StringComparison.Ordinal),
            entry => ((YamlScalarNode)entry.Value).Value);
    }

    private static YamlNode Compose()
    {
        var stream = new YamlStream();
        using var reader = File.OpenText(ComposeFile);
        stream.Load(reader);
        return stream.Documents[0].RootNode;
    }
}
