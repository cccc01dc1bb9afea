using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Trace;
using OtpFunctions.Testing;

namespace OtpFunctions.Host.Tests;

/// <summary>What the self-host exports through OpenTelemetry (the Functions app registers the same pipeline).</summary>
[Collection(AzuriteTests.Name)]
public sealed class TelemetryTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Requests_are_traced_by_route_and_logs_exported_without_a_session_token_or_a_phone_number()
    {
        var spans = new List<Activity>();
        var logs = new LogTexts();
        await using var host = await RunningHost.StartAsync(azurite, configure: builder =>
        {
            builder.Services.AddOpenTelemetry().WithTracing(tracing => tracing.AddInMemoryExporter(spans));
            builder.Services.ConfigureOpenTelemetryLoggerProvider(logging => logging.AddProcessor(logs));
        });

        var id = await host.SendAsync(new { phone = "+420777600001" });
        using var status = await host.Client.GetAsync($"/api/v1/otp/{id}");
        await host.MessageAsync(id);
        host.Services.GetRequiredService<TracerProvider>().ForceFlush();

        // A snapshot: the host's workers may still be adding spans while this reads.
        var finished = spans.ToArray();
        var names = finished.Select(s => s.DisplayName).ToList();
        var exported = string.Join("\n", finished.SelectMany(s => s.TagObjects.Select(t => $"{s.DisplayName} {t.Key}={t.Value}")).Concat(logs.Lines));
        Assert.Contains("POST /api/v1/otp/send", names);
        Assert.Contains("GET /api/v1/otp/{id}", names);
        Assert.Contains(logs.Lines, l => l.StartsWith("OtpFunctions.", StringComparison.Ordinal));
        var at = exported.IndexOf(id, StringComparison.Ordinal);
        Assert.True(at < 0, at < 0 ? "" : exported[Math.Max(0, exported.LastIndexOf('\n', at))..Math.Min(exported.Length, at + 200)]);
        Assert.DoesNotContain("420777600001", exported, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_an_exporter_no_spans_are_recorded_and_no_request_gets_a_logging_scope()
    {
        await using var host = await RunningHost.StartAsync(azurite);

        var id = await host.SendAsync(new { phone = "+420777600002" });

        Assert.NotEmpty(id);
        Assert.Null(host.Services.GetService<TracerProvider>());
        // The request scope would carry the path (session ids are bearer tokens); with its category off, Kestrel builds none.
        Assert.False(host.Services.GetRequiredService<ILoggerFactory>().CreateLogger(Composition.OtpTelemetry.HostingDiagnostics).IsEnabled(LogLevel.Critical));
    }

    /// <summary>Keeps each exported log record as text at once (records are pooled and reused).</summary>
    private sealed class LogTexts : BaseProcessor<LogRecord>
    {
        private readonly ConcurrentQueue<string> _lines = new();

        public IReadOnlyList<string> Lines => [.. _lines];

        public override void OnEnd(LogRecord data) =>
            _lines.Enqueue($"{data.CategoryName} {data.FormattedMessage ?? data.Body} {string.Join(" ", data.Attributes?.Select(a => $"{a.Key}={a.Value}") ?? [])}");
    }
}
