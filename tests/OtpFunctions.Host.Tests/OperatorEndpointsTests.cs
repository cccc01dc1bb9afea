using System.Net;
using Microsoft.Extensions.Configuration;
using OtpFunctions.Testing;

namespace OtpFunctions.Host.Tests;

/// <summary>What an operator reads over HTTP: usage per application, and the Prometheus scrape of the meter.</summary>
[Collection(AzuriteTests.Name)]
public sealed class OperatorEndpointsTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Stats_show_a_verified_flow_and_metrics_are_scraped_in_prometheus_text()
    {
        await using var host = await RunningHost.StartAsync(azurite);
        using var sent = await host.PostAsync("/api/v1/otp/send", new { phone = "+420777123481" }, RunningHost.SandboxKey);
        var body = await RunningHost.ReadAsync(sent);
        using var verified = await host.PostAsync("/api/v1/otp/verify",
            new { session_token = body.GetProperty("id").GetString(), code = body.GetProperty("sandbox_otps").GetProperty("sms").GetString() }, RunningHost.SandboxKey);
        Assert.Equal(HttpStatusCode.OK, verified.StatusCode);

        var today = await WaitForStartedAsync(host);
        using var badDays = new HttpRequestMessage(HttpMethod.Get, "/api/v1/stats?days=0");
        badDays.Headers.Add("X-API-Key", RunningHost.SandboxKey);
        using var client = host.VendorClient();
        using var refused = await client.SendAsync(badDays);
        var metrics = await host.Client.GetStringAsync("/metrics");

        Assert.Equal((1, 1, 1.0), (today.GetProperty("started").GetInt32(), today.GetProperty("approved").GetInt32(), today.GetProperty("conversion").GetDouble()));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("otp_sends_total{", metrics, StringComparison.Ordinal);
        Assert.Contains("http_server_request_duration_seconds_bucket{", metrics, StringComparison.Ordinal); // ASP.NET Core's request meter
        Assert.Contains("outcome=\"approved\"", metrics, StringComparison.Ordinal);
        Assert.DoesNotContain("+420777123481", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_a_metrics_port_the_scrape_is_served_there_and_nowhere_else()
    {
        var port = FreeLoopbackPort();
        await using var host = await RunningHost.StartAsync(azurite, settings => settings[MetricsEndpoint.PortKey] = port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var onApi = await host.Client.GetAsync("/metrics");
        using var scraper = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        using var onMetricsPort = await scraper.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.NotFound, onApi.StatusCode);
        Assert.Equal(HttpStatusCode.OK, onMetricsPort.StatusCode);
        Assert.Contains("# TYPE", await onMetricsPort.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("127.0.0.2", true)]
    [InlineData("::1", true)]
    [InlineData("::ffff:127.0.0.1", true)]
    [InlineData("203.0.113.5", false)]
    [InlineData("10.0.0.4", false)]
    [InlineData("::ffff:203.0.113.5", false)]
    [InlineData("2001:db8::1", false)]
    public void Without_a_metrics_port_only_loopback_callers_may_scrape(string caller, bool allowed)
    {
        var context = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        context.Request.Path = "/metrics";
        context.Connection.RemoteIpAddress = System.Net.IPAddress.Parse(caller);

        Assert.Equal(allowed, MetricsEndpoint.Allows(context, port: null));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("65536")]
    [InlineData("metrics")]
    [InlineData("-1")]
    public void An_unusable_metrics_port_stops_start_up(string value)
    {
        var configuration = new Microsoft.Extensions.Configuration.ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [MetricsEndpoint.PortKey] = value }).Build();

        var refused = Assert.Throws<InvalidOperationException>(() => { _ = MetricsEndpoint.PortFrom(configuration); });
        Assert.Contains(MetricsEndpoint.PortKey, refused.Message, StringComparison.Ordinal);
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Stats are counted right after the response: read until today's line shows the flow.</summary>
    private static async Task<System.Text.Json.JsonElement> WaitForStartedAsync(RunningHost host)
    {
        for (var i = 0; ; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/stats?days=1");
            request.Headers.Add("X-API-Key", RunningHost.SandboxKey);
            using var client = host.VendorClient();
            using var response = await client.SendAsync(request);
            var today = (await RunningHost.ReadAsync(response)).GetProperty("days")[0];
            if (today.GetProperty("approved").GetInt32() > 0 || i == 100)
            {
                return today;
            }

            await Task.Delay(50);
        }
    }
}
