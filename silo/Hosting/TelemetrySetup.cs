using Dispatch.Grains;
using Dispatch.Silo.Security;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Dispatch.Silo.Hosting;

/// <summary>
/// What the silo exports (<c>Dispatch:Telemetry</c>): a Prometheus scrape endpoint (on unless turned off) and, when an
/// endpoint is configured, metrics and traces over OTLP.
/// </summary>
public sealed record TelemetrySettings(bool Prometheus, Uri? OtlpEndpoint, OtlpExportProtocol OtlpProtocol)
{
    public const string Section = "Dispatch:Telemetry";

    /// <summary>Traces cost an activity per request and grain call, so they are collected only when someone receives them.</summary>
    public bool Tracing => OtlpEndpoint is not null;

    public static TelemetrySettings From(IConfiguration config)
    {
        var section = config.GetSection(Section);
        var endpoint = section["Otlp:Endpoint"];
        Uri? otlp = null;
        if (!string.IsNullOrWhiteSpace(endpoint) && !Uri.TryCreate(endpoint, UriKind.Absolute, out otlp))
        {
            throw new ArgumentException($"{Section}:Otlp:Endpoint must be an absolute URL (http://collector:4317), not '{endpoint}'.");
        }
        var protocol = section["Otlp:Protocol"] switch
        {
            null or "" or "grpc" => OtlpExportProtocol.Grpc,
            "http/protobuf" or "httpProtobuf" => OtlpExportProtocol.HttpProtobuf,
            var other => throw new ArgumentException($"{Section}:Otlp:Protocol must be grpc or http/protobuf, not '{other}'."),
        };
        return new TelemetrySettings(section.GetValue("Prometheus", true), otlp, protocol);
    }
}

public static class TelemetrySetup
{
    public const string MetricsPath = "/metrics";

    /// <summary>Orleans' meter and activity sources (grain calls, messaging, storage, activations).</summary>
    private const string OrleansMeter = "Microsoft.Orleans";
    private static readonly string[] s_orleansSources = ["Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application"];

    public static IServiceCollection AddDispatchTelemetry(this IServiceCollection services, TelemetrySettings telemetry, SiloSettings settings)
    {
        var otel = services.AddOpenTelemetry().ConfigureResource(r => r.AddService("dispatch-silo", serviceNamespace: settings.ServiceId,
            serviceInstanceId: $"{settings.AdvertisedAddress}:{settings.SiloPort}"));
        otel.WithMetrics(metrics =>
        {
            metrics.AddMeter(OrleansMeter, DispatchMetrics.MeterName).AddAspNetCoreInstrumentation().AddRuntimeInstrumentation();
            if (telemetry.Prometheus)
            {
                metrics.AddPrometheusExporter();
            }
            if (telemetry.OtlpEndpoint is { } endpoint)
            {
                metrics.AddOtlpExporter(o => Configure(o, endpoint, telemetry.OtlpProtocol, "v1/metrics"));
            }
        });
        if (telemetry.OtlpEndpoint is { } traces)
        {
            otel.WithTracing(tracing => tracing.AddSource(s_orleansSources).AddAspNetCoreInstrumentation()
                .AddOtlpExporter(o => Configure(o, traces, telemetry.OtlpProtocol, "v1/traces")));
        }
        return services;
    }

    /// <summary>
    /// <c>GET /metrics</c> in Prometheus' text format, for operators only (like the dashboard): 401 without a token,
    /// 403 for other roles.
    /// </summary>
    public static WebApplication MapDispatchMetrics(this WebApplication app)
    {
        if (app.Services.GetRequiredService<TelemetrySettings>().Prometheus)
        {
            app.MapPrometheusScrapingEndpoint(MetricsPath).RequireAuthorization(AuthSetup.OperatorPolicy);
        }
        return app;
    }

    private static void Configure(OtlpExporterOptions options, Uri endpoint, OtlpExportProtocol protocol, string signalPath)
    {
        options.Protocol = protocol;
        // Over HTTP the exporter posts to the endpoint as given: a collector's base address needs the signal's path.
        options.Endpoint = protocol == OtlpExportProtocol.HttpProtobuf && endpoint.AbsolutePath is "/" or ""
            ? new Uri(endpoint, signalPath) : endpoint;
    }
}
