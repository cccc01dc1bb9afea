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
    public async Task With_storage_down_every_route_family_answers_503_with_retry_after_promptly_and_recovers_when_it_returns()
    {
        var azurite = new AzuriteFixture();
        await azurite.InitializeAsync();
        await using var host = await RunningHost.StartAsync(azurite, s => s["Otp:Applications:0:CompatProfiles:0"] = "bonga");
        var id = await host.SendAsync(new { phone = "+420777880001" });
        await azurite.Azurite.StopAsync();

        foreach (var (name, request) in Requests(id))
        {
            var clock = Stopwatch.StartNew();
            using var response = await host.Client.SendAsync(request());
            var body = await response.Content.ReadAsStringAsync();

            Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{name}: {(int)response.StatusCode} {body}");
            Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero, $"{name}: no Retry-After");
            Assert.True(clock.Elapsed < Promptly, $"{name} took {clock.Elapsed.TotalSeconds:F1} s");
        }

        await azurite.Azurite.StartAgainAsync();
        using var again = await host.PostAsync("/api/v1/otp/send", new { phone = "+420777880002" });
        using var status = await host.Client.GetAsync($"/api/v1/otp/{id}");

        Assert.Equal((HttpStatusCode.Accepted, HttpStatusCode.OK), (again.StatusCode, status.StatusCode));
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

    /// <summary>One request of each route family, fresh each time (a request message is sent once); the host's client adds its live key.</summary>
    private static IEnumerable<(string Name, Func<HttpRequestMessage> Request)> Requests(string id)
    {
        static HttpRequestMessage Json(HttpMethod method, string path, string body) =>
            new(method, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

        yield return ("send", () => Json(HttpMethod.Post, "/api/v1/otp/send", """{"phone":"+420777880010"}"""));
        yield return ("verify", () => Json(HttpMethod.Post, "/api/v1/otp/verify", $$"""{"session_token":"{{id}}","code":"123456"}"""));
        yield return ("verify by phone", () => Json(HttpMethod.Post, "/api/v1/otp/verify", """{"phone":"+420777880001","code":"123456"}"""));
        yield return ("resend", () => Json(HttpMethod.Post, "/api/v1/otp/resend", $$"""{"session_token":"{{id}}"}"""));
        yield return ("status", () => new HttpRequestMessage(HttpMethod.Get, $"/api/v1/otp/{id}"));
        yield return ("cancel", () => Json(HttpMethod.Post, $"/api/v1/otp/{id}/cancel", "{}"));
        yield return ("stats", () => new HttpRequestMessage(HttpMethod.Get, "/api/v1/stats?days=1"));
        yield return ("bonga send", () =>
        {
            var request = Json(HttpMethod.Post, "/api/compat/bonga/api/v1/send-otp", """{"sender":"BONGATECH","phone":"254712345678"}""");
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", RunningHost.LiveKey);
            return request;
        });
    }
}
