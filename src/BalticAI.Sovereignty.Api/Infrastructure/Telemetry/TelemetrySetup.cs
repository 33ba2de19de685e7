using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace BalticAI.Sovereignty.Api.Infrastructure.Telemetry;

public static class TelemetrySetup
{
    public const string ServiceName = "balticai-sovereignty";

    /// <summary>
    /// The broker's instruments always exist (a MeterListener or dotnet-counters reads them); the
    /// OpenTelemetry SDK runs only when an OTLP endpoint is configured, so development, scripts and tests
    /// start no exporter and open no connection to a collector that is not there.
    /// </summary>
    public static WebApplicationBuilder AddSovereigntyTelemetry(this WebApplicationBuilder builder)
    {
        builder.Services.AddMetrics();
        builder.Services.AddSingleton<BrokerTelemetry>();
        builder.Services.AddSingleton<SubscriptionLag>();
        builder.Services.AddHostedService<LedgerGauges>();
        if (OtlpSettings.From(builder.Configuration) is not { } otlp)
        {
            return builder;
        }
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName, serviceVersion: BrokerTelemetry.Version,
                autoGenerateServiceInstanceId: false, serviceInstanceId: Environment.MachineName))
            .WithMetrics(metrics => metrics
                .AddMeter(BrokerTelemetry.Name, "MassTransit")
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation())
            .WithTracing(tracing => tracing
                // Npgsql 9 emits its activities under "Npgsql" by itself; Npgsql.OpenTelemetry would need Npgsql 10.
                .AddSource(BrokerTelemetry.Name, "Npgsql", "MassTransit")
                .AddAspNetCoreInstrumentation(aspNet => aspNet.Filter = http => !http.Request.Path.StartsWithSegments("/health"))
                .AddHttpClientInstrumentation())
            .UseOtlpExporter(otlp.Protocol, otlp.Endpoint);
        return builder;
    }
}

/// <summary>
/// Where to export: `Telemetry:Otlp:Endpoint` and `:Protocol`, else the standard `OTEL_EXPORTER_OTLP_ENDPOINT`
/// and `OTEL_EXPORTER_OTLP_PROTOCOL` (environment variables reach the configuration under their own names).
/// </summary>
internal sealed record OtlpSettings(Uri Endpoint, OtlpExportProtocol Protocol)
{
    public const string SectionName = "Telemetry:Otlp";

    /// <summary>The exporter's settings, null when no endpoint is configured; throws on a wrong endpoint or protocol.</summary>
    public static OtlpSettings? From(IConfiguration configuration)
    {
        var (settings, failures) = Read(configuration);
        return failures.Count > 0 ? throw new InvalidOperationException(string.Join("; ", failures)) : settings;
    }

    /// <summary>Every wrong OTLP key, for the start-up check to list with the others (StartupChecks).</summary>
    public static IReadOnlyList<string> Validate(IConfiguration configuration) => Read(configuration).Failures;

    private static (OtlpSettings? Settings, List<string> Failures) Read(IConfiguration configuration)
    {
        var failures = new List<string>();
        var endpoint = configuration[$"{SectionName}:Endpoint"] ?? configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];
        if (string.IsNullOrWhiteSpace(endpoint))
        {
            return (null, failures);
        }
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            failures.Add($"{SectionName}:Endpoint (or OTEL_EXPORTER_OTLP_ENDPOINT) '{endpoint}' is not an absolute http(s) URI");
        }
        var protocol = configuration[$"{SectionName}:Protocol"] ?? configuration["OTEL_EXPORTER_OTLP_PROTOCOL"] ?? "grpc";
        OtlpExportProtocol? parsed = protocol switch
        {
            "grpc" => OtlpExportProtocol.Grpc,
            "http/protobuf" => OtlpExportProtocol.HttpProtobuf,
            _ => null,
        };
        if (parsed is null)
        {
            failures.Add($"{SectionName}:Protocol (or OTEL_EXPORTER_OTLP_PROTOCOL) '{protocol}' is neither 'grpc' nor 'http/protobuf'");
        }
        return failures.Count > 0 ? (null, failures) : (new OtlpSettings(uri!, parsed!.Value), failures);
    }
}
