using System.Diagnostics;
using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Extensions.Configuration;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace OtpFunctions.Composition;

/// <summary>
/// Logs, traces and metrics through OpenTelemetry, the same for both hosts: exported to Azure
/// Monitor when <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is set (Entra ID auth when
/// <c>APPLICATIONINSIGHTS_AUTHENTICATION_STRING</c> says so), to an OTLP collector when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, and nowhere otherwise.
/// </summary>
public static class OtpTelemetry
{
    public const string ServiceName = "OtpFunctions";

    /// <summary>The service's own meter and activity source (metrics of the OTP lifecycle).</summary>
    public const string MeterName = "OtpFunctions";

    /// <summary>ASP.NET Core's request logging category (both hosts run an ASP.NET Core pipeline).</summary>
    public const string HostingDiagnostics = "Microsoft.AspNetCore.Hosting.Diagnostics";

    /// <summary>Whether telemetry goes anywhere: Azure Monitor or an OTLP collector is configured.</summary>
    public static bool Exports(IConfiguration configuration) =>
        configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"] is { Length: > 0 } || configuration["OTEL_EXPORTER_OTLP_ENDPOINT"] is { Length: > 0 };

    public static OpenTelemetryBuilder AddOtpTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var azureMonitor = configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"] is { Length: > 0 } connectionString ? connectionString : null;
        var otlp = configuration["OTEL_EXPORTER_OTLP_ENDPOINT"] is { Length: > 0 };

        // Hosting's request logs and their scope are off: the scope carries the request path,
        // whose session ids are bearer tokens, and with no logger for it (and no tracing) Kestrel
        // builds no Activity and no scope per request.
        services.AddLogging(logging => logging.AddFilter(HostingDiagnostics, LogLevel.None));

        // Whatever turns tracing on (an exporter below, or one added by the host) traces these, with the path and query left out.
        services.ConfigureOpenTelemetryTracerProvider(tracing => tracing
            .AddSource(MeterName)
            .AddAspNetCoreInstrumentation(o => o.EnrichWithHttpRequest = (activity, _) => KeepRouteOnly(activity))
            .AddHttpClientInstrumentation(o => o.EnrichWithHttpRequestMessage = (activity, request) => KeepOriginOnly(activity, request.RequestUri)));

        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName))
            .WithMetrics(metrics => metrics
                // ASP.NET Core's request, connection and exception meters, not the instrumentation's
                // full set: its routing meter and error-type middleware cost every request a little.
                .AddMeter(MeterName, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.Diagnostics")
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation())
            .WithLogging();

        // Spans are only recorded when they go somewhere: a span per request and per outgoing call
        // that nothing exports would cost every request for nothing.
        if (azureMonitor is not null || otlp)
        {
            telemetry.WithTracing();
        }

        if (azureMonitor is not null)
        {
            telemetry.UseAzureMonitorExporter(o =>
            {
                o.ConnectionString = azureMonitor;
                if (EntraClientId(configuration["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]) is { } clientId)
                {
                    o.Credential = new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId));
                }
            });
        }

        if (otlp)
        {
            telemetry.UseOtlpExporter();
        }

        return telemetry;
    }

    /// <summary>
    /// A request's path holds session ids (<c>/api/v1/otp/{id}</c>), which are bearer tokens:
    /// spans keep the route template, never the path or the query.
    /// </summary>
    private static void KeepRouteOnly(Activity activity)
    {
        activity.SetTag("url.path", null);
        activity.SetTag("url.query", null);
    }

    /// <summary>
    /// Outgoing URLs carry session ids (storage keys: <c>PartitionKey='…'</c>), account ids and
    /// clients' callback paths: spans keep the scheme, host and port only.
    /// </summary>
    private static void KeepOriginOnly(Activity activity, Uri? uri)
    {
        if (uri is not null)
        {
            activity.SetTag("url.full", uri.GetLeftPart(UriPartial.Authority) + "/");
        }
    }

    /// <summary><c>ClientId=…;Authorization=AAD</c>, the Functions setting for Entra ID ingestion.</summary>
    private static string? EntraClientId(string? authentication)
    {
        var parts = (authentication ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1], StringComparer.OrdinalIgnoreCase);
        return parts.GetValueOrDefault("Authorization") is { } auth && auth.Equals("AAD", StringComparison.OrdinalIgnoreCase) ? parts.GetValueOrDefault("ClientId") : null;
    }
}
