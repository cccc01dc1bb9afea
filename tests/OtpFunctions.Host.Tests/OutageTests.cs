using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Azure;
using Azure.Data.Tables;
using OtpFunctions.Composition;
using OtpFunctions.Http.Handlers;
using OtpFunctions.Storage.Connection;
using Microsoft.Extensions.DependencyInjection;
using OtpFunctions.Testing;

namespace OtpFunctions.Host.Tests;

/// <summary>
/// Faults answered by whose they are: storage down is a prompt 503 with Retry-After on every route
/// family and the service recovers when it returns (also when it was down at start-up); a request
/// Kestrel cannot read is the client's 400. Each with its own Azurite, stopped and started again.
/// </summary>
public sealed class OutageTests
{
    private static readonly TimeSpan Promptly = TimeSpan.FromSeconds(4);

    [Fact]
    public async Task With_storage_down_every_route_family_answers_503_with_retry_after_promptly_and_recovers_when_it_returns_with_nothing_lost()
    {
        var azurite = new AzuriteFixture();
        await azurite.InitializeAsync();
        await using var host = await RunningHost.StartAsync(azurite, EveryRoute.Configure);
        var id = await host.SendAsync(new { phone = "+420777880001" });
        await azurite.Azurite.StopAsync();

        // Every route that needs storage; Vonage's receipt is refused on its signature before any storage call.
        foreach (var route in EveryRoute.Routes(id).Where(r => r.Name != "receipt vonage"))
        {
            var clock = Stopwatch.StartNew();
            using var response = await host.Client.SendAsync(route.Request());
            var body = await response.Content.ReadAsStringAsync();

            Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{route.Name}: {(int)response.StatusCode} {body}");
            Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero, $"{route.Name}: no Retry-After");
            Assert.True(clock.Elapsed < Promptly, $"{route.Name} took {clock.Elapsed.TotalSeconds:F1} s");
        }

        await azurite.Azurite.StartAgainAsync();
        // The dispatch of the send just before the outage may have been lost with it (published after
        // the response, as the outage began): its dispatch check, queued before the session was
        // written, recovers it once due, on the host's clock and, 30 s after the send, on the queue's.
        host.Time.Advance(Core.Sessions.DispatchWatch.CheckAfter + TimeSpan.FromSeconds(1));
        var after = await host.SendAsync(new { phone = "+420777880002" });
        using var status = await host.Client.GetAsync($"/api/v1/otp/{id}");

        // Nothing lost: the code accepted before the outage and the one after both reach the phone.
        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
        Assert.False(string.IsNullOrEmpty((await host.MessageAsync(id, timeout: TimeSpan.FromSeconds(60))).Code));
        Assert.False(string.IsNullOrEmpty((await host.MessageAsync(after, timeout: TimeSpan.FromSeconds(30))).Code));
        Assert.DoesNotContain(host.Logs.Lines, l => l.StartsWith("Critical", StringComparison.Ordinal));
        await azurite.DisposeAsync();
    }

    [Fact]
    public async Task A_host_started_while_storage_is_down_runs_unhealthy_and_serves_once_storage_returns()
    {
        var azurite = new AzuriteFixture();
        await azurite.InitializeAsync();
        await azurite.Azurite.StopAsync();

        await using var host = await RunningHost.StartAsync(azurite);
        using var health = await host.Client.GetAsync("/api/health");
        await azurite.Azurite.StartAgainAsync();
        await host.Services.GetRequiredService<ApplicationSeeder>().Seeded.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Contains(host.Logs.Lines, l => l.Contains("Storage does not answer at start-up", StringComparison.Ordinal));
        await host.SendAsync(new { phone = "+420777880003" });
        await azurite.DisposeAsync();
    }

    [Theory]
    [InlineData("bad chunk size", "Transfer-Encoding: chunked\r\n\r\nZZ\r\n{}\r\n0\r\n\r\n")]
    [InlineData("body shorter than its Content-Length", "Content-Length: 100\r\n\r\n{\"phone\":\"+420777880004\"}")]
    public async Task A_request_kestrel_cannot_read_is_the_clients_400_not_a_503(string what, string framing)
    {
        var azurite = new AzuriteFixture();
        await azurite.InitializeAsync();
        await using var host = await RunningHost.StartAsync(azurite);
        var address = host.Client.BaseAddress!;

        using var tcp = new TcpClient();
        await tcp.ConnectAsync(address.Host, address.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            $"POST /api/v1/otp/send HTTP/1.1\r\nHost: {address.Authority}\r\nX-API-Key: {RunningHost.LiveKey}\r\nContent-Type: application/json\r\n{framing}"));
        // The client waits for the answer, as curl does: a short body is found out when its data stops coming (Kestrel's minimum data rate, 5 s grace).
        using var reader = new StreamReader(stream, Encoding.ASCII);
        var statusLine = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(20));

        Assert.True(statusLine?.StartsWith("HTTP/1.1 400", StringComparison.Ordinal) == true, $"{what}: {statusLine}");
        Assert.DoesNotContain(host.Logs.Lines, l => l.StartsWith("Critical", StringComparison.Ordinal) || l.StartsWith("Error", StringComparison.Ordinal));
        await azurite.DisposeAsync();
    }

    [Fact]
    public async Task Real_storage_failures_are_judged_by_what_failed_a_refusal_apart_from_an_outage()
    {
        var azurite = new AzuriteFixture();
        await azurite.InitializeAsync();
        var faults = new DependencyFaults();
        var counter = new StorageRequestCounter();
        var down = new TableClient(new Uri($"http://127.0.0.1:{AzuriteProcess.FreePort()}/{AzuriteProcess.AccountName}"), "t",
            new TableSharedKeyCredential(AzuriteProcess.AccountName, AzuriteProcess.AccountKey), StorageClients.TableOptions(counter));
        var wrongKey = new TableClient(new Uri($"http://127.0.0.1:{azurite.Azurite.TablePort}/{AzuriteProcess.AccountName}"), "t",
            new TableSharedKeyCredential(AzuriteProcess.AccountName, Convert.ToBase64String(new byte[64])), StorageClients.TableOptions(counter));

        // Captured from the SDK as it is configured, not made up: every retry refused, then a refusal.
        var outage = await Assert.ThrowsAnyAsync<Exception>(() => down.GetEntityIfExistsAsync<TableEntity>("p", "r"));
        var refused = await Assert.ThrowsAsync<RequestFailedException>(() => wrongKey.GetEntityIfExistsAsync<TableEntity>("p", "r"));

        Assert.IsType<AggregateException>(outage); // the shape that was answered 500
        Assert.Equal((Fault.Dependency, true), (faults.Classify(outage), faults.IsUnreachable(outage)));
        Assert.Equal((Fault.Dependency, false), (faults.Classify(refused), faults.IsUnreachable(refused)));
        Assert.InRange(refused.Status, 400, 499);
        Assert.Equal(Fault.Bug, faults.Classify(new InvalidOperationException("a bug", new KeyNotFoundException())));
        Assert.Equal(Fault.Client, faults.Classify(new AggregateException(new Microsoft.AspNetCore.Http.BadHttpRequestException("Bad chunk size."))));
        await azurite.DisposeAsync();
    }
}
