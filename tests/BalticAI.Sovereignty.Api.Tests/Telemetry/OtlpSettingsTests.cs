using BalticAI.Sovereignty.Api.Infrastructure.Telemetry;
using Microsoft.Extensions.Configuration;
using OpenTelemetry.Exporter;

namespace BalticAI.Sovereignty.Api.Tests.Telemetry;

public sealed class OtlpSettingsTests
{
    [Fact]
    public void Nothing_configured_means_no_exporter()
    {
        OtlpSettings.From(Configuration()).ShouldBeNull();
        OtlpSettings.From(Configuration(("OTEL_EXPORTER_OTLP_ENDPOINT", " "))).ShouldBeNull();
    }

    [Fact]
    public void The_standard_environment_variables_are_honoured_with_gRPC_as_the_default_protocol()
    {
        OtlpSettings.From(Configuration(("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4317")))
            .ShouldBe(new OtlpSettings(new Uri("http://collector:4317"), OtlpExportProtocol.Grpc));
        OtlpSettings.From(Configuration(("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318"), ("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf")))
            .ShouldBe(new OtlpSettings(new Uri("http://collector:4318"), OtlpExportProtocol.HttpProtobuf));
    }

    [Fact]
    public void The_broker_settings_win_over_the_environment_variables()
    {
        var settings = OtlpSettings.From(Configuration(
            ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://elsewhere:4317"), ("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"),
            ("Telemetry:Otlp:Endpoint", "https://collector.example:4318"), ("Telemetry:Otlp:Protocol", "http/protobuf")));

        settings.ShouldBe(new OtlpSettings(new Uri("https://collector.example:4318"), OtlpExportProtocol.HttpProtobuf));
    }

    [Theory]
    [InlineData("collector:4317", "grpc", "is not an absolute http(s) URI")]
    [InlineData("ftp://collector:4317", "grpc", "is not an absolute http(s) URI")]
    [InlineData("http://collector:4318", "http/json", "'http/json' is neither 'grpc' nor 'http/protobuf'")]
    public void A_wrong_endpoint_or_protocol_stops_the_start(string endpoint, string protocol, string message)
    {
        var failure = Should.Throw<InvalidOperationException>(() =>
            OtlpSettings.From(Configuration(("Telemetry:Otlp:Endpoint", endpoint), ("Telemetry:Otlp:Protocol", protocol))));

        failure.Message.ShouldContain(message);
    }

    [Fact]
    public void A_wrong_endpoint_and_a_wrong_protocol_are_both_named_and_no_endpoint_is_nothing_to_check()
    {
        OtlpSettings.Validate(Configuration(("Telemetry:Otlp:Endpoint", "collector:4317"), ("Telemetry:Otlp:Protocol", "http/json"))).Count.ShouldBe(2);
        OtlpSettings.Validate(Configuration(("Telemetry:Otlp:Protocol", "http/json"))).ShouldBeEmpty();
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();
}
