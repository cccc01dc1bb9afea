using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OtpFunctions.Client;
using OtpFunctions.Testing;

namespace OtpFunctions.Client.Tests;

/// <summary>The client against a fake service on 127.0.0.1: what it sends, how it reads refusals, and what it retries.</summary>
public sealed class OtpClientTests : IAsyncLifetime
{
    private const string Problem = "application/problem+json";
    private const string Sent = """
        {"id":"AAAAAAAAAAAAAAAAAAAAAA","session_token":"AAAAAAAAAAAAAAAAAAAAAA","status":"pending","channels":["sms"],"channel":"sms","to":"+4207******56",
         "expires_at":"2026-12-07T10:05:00Z","attempts_remaining":5,"resends_remaining":3,"resend_available_at":"2026-12-07T10:00:30Z","sandbox_otps":{"sms":"123456"}}
        """;

    private FakeProviderServer _service = null!;

    public async Task InitializeAsync() => _service = await FakeProviderServer.StartAsync();

    public async Task DisposeAsync() => await _service.DisposeAsync();

    [Fact]
    public async Task A_send_carries_the_key_an_idempotency_key_and_the_api_json_and_reads_the_answer()
    {
        _service.Answer = _ => (202, Sent, null);
        var client = Client();

        var sent = await client.SendAsync(new SendRequest { Phone = "+420777123456", Channels = ["sms"], CodeLength = 6 });

        var request = Assert.Single(_service.Requests);
        Assert.Equal(("POST", "/api/v1/otp/send"), (request.Method, request.PathAndQuery));
        Assert.Equal("otp_test_client_key", request.Headers["X-API-Key"]);
        Assert.Matches("^[0-9a-f]{32}$", request.Headers["Idempotency-Key"]);
        Assert.Equal("""{"phone":"+420777123456","channels":["sms"],"code_length":6}""", request.Body);
        Assert.Equal((SessionStatus.Pending, "123456", 5), (sent.Status, sent.SandboxOtps!["sms"], sent.AttemptsRemaining));
    }

    [Fact]
    public async Task A_refusal_is_an_exception_with_its_problem_code_and_wait()
    {
        _service.Answer = _ => (400, """{"type":"t","title":"The code is not correct.","status":400,"detail":"Let the user type it again.","code":"invalid_code","instance":"/api/v1/otp/verify","attempts_remaining":3}""",
            new Dictionary<string, string> { ["Content-Type"] = Problem });
        var client = Client();

        var wrong = await Assert.ThrowsAsync<OtpApiException>(() => client.VerifyAsync(new VerifyRequest { SessionToken = "AAAAAAAAAAAAAAAAAAAAAA", Code = "000000" }));
        _service.Answer = _ => (429, """{"type":"t","title":"Too many","status":429,"detail":"Wait.","code":"rate_limited","instance":"/api/v1/otp/send","limit":"per_recipient"}""",
            new Dictionary<string, string> { ["Content-Type"] = Problem, ["Retry-After"] = "3600" });
        var limited = await Assert.ThrowsAsync<OtpApiException>(() => client.SendAsync(new SendRequest { Phone = "+420777123456" }));
        _service.Answer = _ => (502, "<html>bad gateway</html>", new Dictionary<string, string> { ["Content-Type"] = "text/html" });
        var proxy = await Assert.ThrowsAsync<OtpApiException>(() => client.GetAsync("AAAAAAAAAAAAAAAAAAAAAA"));

        Assert.Equal((400, OtpErrorCodes.InvalidCode, 3), (wrong.StatusCode, wrong.Code, wrong.Problem!.AttemptsRemaining));
        Assert.Equal((429, OtpErrorCodes.RateLimited, TimeSpan.FromHours(1), "per_recipient"), (limited.StatusCode, limited.Code, limited.RetryAfter, limited.Problem!.Limit));
        Assert.Equal((502, null), (proxy.StatusCode, proxy.Code));
    }

    [Fact]
    public async Task A_short_retry_after_is_waited_out_and_the_retried_send_keeps_its_idempotency_key()
    {
        var answers = new Queue<(int, string, IDictionary<string, string>?)>(
        [
            (503, """{"type":"t","title":"t","status":503,"detail":"d","code":"service_unavailable","instance":"/"}""", new Dictionary<string, string> { ["Content-Type"] = Problem, ["Retry-After"] = "1" }),
            (202, Sent, null),
        ]);
        _service.Answer = _ => answers.Dequeue();
        var client = Client();
        var clock = Stopwatch.StartNew();

        var sent = await client.SendAsync(new SendRequest { Phone = "+420777123456" });

        Assert.Equal(SessionStatus.Pending, sent.Status);
        var tries = _service.Requests.ToList();
        Assert.Equal(2, tries.Count);
        Assert.Equal(tries[0].Headers["Idempotency-Key"], tries[1].Headers["Idempotency-Key"]);
        Assert.Equal(tries[0].Body, tries[1].Body);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.9), $"retried after {clock.Elapsed}");
    }

    [Theory]
    [InlineData(429, "60")] // longer than MaxRetryAfter: the caller decides
    [InlineData(500, "1")] // not a status that asks to be retried
    [InlineData(429, null)] // no wait named
    public async Task Anything_else_is_not_retried(int status, string? retryAfter)
    {
        var headers = new Dictionary<string, string> { ["Content-Type"] = Problem };
        if (retryAfter is not null)
        {
            headers["Retry-After"] = retryAfter;
        }

        _service.Answer = _ => (status, """{"type":"t","title":"t","status":0,"detail":"d","code":"internal_error","instance":"/"}""", headers);
        var client = Client();

        await Assert.ThrowsAsync<OtpApiException>(() => client.ResendAsync(new ResendRequest { SessionToken = "AAAAAAAAAAAAAAAAAAAAAA" }));

        Assert.Single(_service.Requests);
    }

    [Fact]
    public async Task The_listing_and_stats_send_their_parameters_as_the_api_names_them()
    {
        _service.Answer = r => (200, r.PathAndQuery.StartsWith("/api/v1/stats", StringComparison.Ordinal)
            ? """{"application":"app1","sandbox":false,"days":[],"channels":[],"countries":[]}"""
            : """{"attempts":[]}""", null);
        var client = Client();

        await client.GetStatsAsync(14);
        await client.ListVerificationsAsync(new AttemptQuery { To = "+420 777 123 456", Status = DeliveryStatus.Undelivered, Converted = false, From = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero), PageSize = 20 });

        Assert.Equal(["/api/v1/stats?days=14", "/api/v1/verifications?to=%2B420%20777%20123%20456&status=undelivered&converted=false&from=2026-12-01T00%3A00%3A00.0000000%2B00%3A00&page_size=20"],
            _service.Requests.Select(r => r.PathAndQuery));
    }

    [Theory]
    [InlineData("http://otp.example.com", "otp_live_key", "https")]
    [InlineData("https://otp.example.com", "", "ApiKey")]
    [InlineData(null, "otp_live_key", "absolute")]
    public void Bad_options_stop_the_start_naming_the_problem(string? address, string key, string named)
    {
        var services = new ServiceCollection();
        services.AddOtpClient(o =>
        {
            o.BaseAddress = address is null ? null : new Uri(address);
            o.ApiKey = key;
        });
        using var provider = services.BuildServiceProvider();

        var refused = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<OtpClientOptions>>().Value);

        Assert.Contains(named, refused.Message, StringComparison.Ordinal);
    }

    private OtpClient Client()
    {
        var services = new ServiceCollection();
        services.AddOtpClient(o =>
        {
            o.BaseAddress = _service.BaseUrl;
            o.ApiKey = "otp_test_client_key";
        });
        return services.BuildServiceProvider().GetRequiredService<OtpClient>();
    }
}
