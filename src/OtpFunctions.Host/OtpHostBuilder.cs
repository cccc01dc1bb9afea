using OpenTelemetry.Metrics;
using OtpFunctions.Composition;
using OtpFunctions.Host.Workers;
using OtpFunctions.Http;

namespace OtpFunctions.Host;

/// <summary>Builds the self-host: Kestrel, the shared composition, routes and the queue workers. Tests build it the same way.</summary>
public static class OtpHostBuilder
{
    /// <summary>The port <c>func start</c> uses, so a client works against either host unchanged.</summary>
    public const string DefaultUrl = "http://127.0.0.1:7071";

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);

        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
        builder.Services.AddOtpService(builder.Configuration, builder.Environment);
        // The self-host also answers Prometheus scrapes at /metrics, to operators only (MetricsEndpoint);
        // the Functions app exports to Azure Monitor.
        builder.Services.AddOtpTelemetry(builder.Configuration).WithMetrics(metrics => metrics.AddPrometheusExporter());
        builder.Services.AddSingleton(sp => new QueueWorkers(sp));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<QueueWorkers>());
        builder.Services.AddHealthChecks().AddCheck<QueueWorkersHealthCheck>(Http.Handlers.HealthCheckNames.Workers);
        configure?.Invoke(builder);

        var metricsPort = MetricsEndpoint.PortFrom(builder.Configuration);
        var urls = builder.Configuration[WebHostDefaults.ServerUrlsKey] is { Length: > 0 } configured ? configured : DefaultUrl;
        // A separate scrape port listens on every interface: a scraper elsewhere in the network reaches it, the public listener does not.
        builder.WebHost.UseUrls(metricsPort is { } port ? $"{urls};http://*:{port}" : urls);

        var app = builder.Build();
        app.UseOpenTelemetryPrometheusScrapingEndpoint(context => MetricsEndpoint.Allows(context, metricsPort));
        app.UseOtpProblemStatusPages();
        app.MapOtpApi();
        app.MapGet(Http.Handlers.StatusPage.Path, (HttpContext context, Http.Handlers.StatusPage page) => page.RenderAsync(context)).ExcludeFromDescription();
        return app;
    }
}
