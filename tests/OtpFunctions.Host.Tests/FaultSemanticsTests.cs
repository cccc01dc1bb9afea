using System.Net;
using Microsoft.Extensions.DependencyInjection;
using OtpFunctions.Core.Applications;
using OtpFunctions.Core.Ports;
using OtpFunctions.Testing;

namespace OtpFunctions.Host.Tests;

/// <summary>Faults are honest: a dependency down is a 503 to retry, a bug is a 500 with a correlation id, logged as a bug.</summary>
[Collection(AzuriteTests.Name)]
public sealed class FaultSemanticsTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_bug_is_a_500_with_a_correlation_id_that_the_log_names_and_no_retry_after()
    {
        await using var host = await RunningHost.StartAsync(azurite, configure: builder =>
            builder.Services.AddSingleton<IApplicationRegistry>(sp => new BuggyRegistry()));

        using var response = await host.PostAsync("/api/v1/otp/send", new { phone = "+420777700021" });
        var body = await RunningHost.ReadAsync(response);
        var correlation = body.GetProperty("correlation_id").GetString()!;

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("internal_error", body.GetProperty("code").GetString());
        Assert.Null(response.Headers.RetryAfter);
        Assert.DoesNotContain("table name", body.ToString(), StringComparison.Ordinal);
        Assert.Contains(host.Logs.Lines, l => l.StartsWith("Critical", StringComparison.Ordinal) && l.Contains(correlation, StringComparison.Ordinal));
    }

    [Fact]
    public async Task On_a_compatibility_route_a_bug_is_a_500_in_the_vendors_shape_naming_the_correlation_id()
    {
        await using var host = await RunningHost.StartAsync(azurite, s => s["Otp:Applications:0:CompatProfiles:0"] = "bonga", configure: builder =>
            builder.Services.AddSingleton<IApplicationRegistry>(sp => new BuggyRegistry()));

        using var bonga = await host.PostAsync("/api/compat/bonga/api/v1/send-otp", """{"sender":"BONGATECH","phone":"254712345678"}""");
        using var twilioRequest = new HttpRequestMessage(HttpMethod.Post, "/api/compat/twilio/v2/Services/VA0123456789abcdef0123456789abcdef/Verifications")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["To"] = "+420777700022", ["Channel"] = "sms" }),
        };
        twilioRequest.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("app1:" + RunningHost.LiveKey)));
        using var twilio = await host.Client.SendAsync(twilioRequest);
        var bongaBody = await RunningHost.ReadAsync(bonga);
        var twilioBody = await RunningHost.ReadAsync(twilio);

        Assert.Equal((HttpStatusCode.InternalServerError, HttpStatusCode.InternalServerError), (bonga.StatusCode, twilio.StatusCode));
        Assert.False(bongaBody.GetProperty("status").GetBoolean());
        var correlation = bongaBody.GetProperty("message").GetString()!.Split('(', ')')[1];
        Assert.Contains(host.Logs.Lines, l => l.StartsWith("Critical", StringComparison.Ordinal) && l.Contains(correlation, StringComparison.Ordinal));
        Assert.Equal((20500, 500), (twilioBody.GetProperty("code").GetInt32(), twilioBody.GetProperty("status").GetInt32()));
    }

    [Fact]
    public async Task A_receipt_that_cannot_be_queued_is_a_503_to_retry()
    {
        const string secret = "generic-receipt-secret";
        await using var host = await RunningHost.StartAsync(azurite, s => s["Otp:GenericReceiptSecret"] = secret);
        await host.Storage.Queue(Core.Messaging.QueueNames.Receipts).DeleteAsync();
        var body = """{"reference":"AAAAAAAAAAAAAAAAAAAAAAAAAAA.1.0","status":"failed"}""";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/receipts/generic") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Add(Core.Workers.EventSignature.Header, Core.Workers.EventSignature.Sign(secret, DateTimeOffset.UtcNow, body));

        using var response = await host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero);
    }

    /// <summary>A registry with a bug in it.</summary>
    private sealed class BuggyRegistry : IApplicationRegistry
    {
        public Task<ApiKeyRecord?> FindKeyAsync(string keyHash, CancellationToken cancellationToken) => throw new InvalidOperationException("a bug: the registry lost its table name");

        public Task<ApplicationSettings?> GetAsync(string applicationId, CancellationToken cancellationToken) => Task.FromResult<ApplicationSettings?>(null);

        public Task SaveAsync(ApplicationSettings application, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task SaveKeyAsync(ApiKeyRecord key, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<ApplicationOverrides> GetOverridesAsync(string applicationId, CancellationToken cancellationToken) => Task.FromResult(ApplicationOverrides.None);

        public Task<ApplicationOverrides?> UpdateOverridesAsync(string applicationId, Func<ApplicationOverrides, ApplicationOverrides?> change, CancellationToken cancellationToken) =>
            Task.FromResult(change(ApplicationOverrides.None));

        public Task<IReadOnlyList<ApiKeyRecord>> ListKeysAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<ApiKeyRecord>>([]);

        public Task<IReadOnlyList<ApplicationSettings>> ListAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<ApplicationSettings>>([]);

        public Task DeleteKeyAsync(string keyHash, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
