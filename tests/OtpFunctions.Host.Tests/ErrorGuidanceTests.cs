using System.Net;
using OtpFunctions.Testing;

namespace OtpFunctions.Host.Tests;

/// <summary>Errors that tell what to do next: a type that resolves, a limit that names itself, a typo'd route that says so.</summary>
[Collection(AzuriteTests.Name)]
public sealed class ErrorGuidanceTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_problems_type_resolves_to_the_errors_page_entry_for_its_code()
    {
        await using var host = await RunningHost.StartAsync(azurite);
        var id = await host.SendAsync(new { phone = "+420777600151" });
        using var wrong = await host.PostAsync("/api/v1/otp/verify", new { session_token = id, code = "000000x" });
        var body = await RunningHost.ReadAsync(wrong);
        var type = new Uri(body.GetProperty("type").GetString()!);

        using var page = await host.Client.GetAsync(type.PathAndQuery);
        var html = await page.Content.ReadAsStringAsync();

        Assert.Equal("invalid_code", type.Fragment.TrimStart('#'));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.All(Core.Errors.ErrorCatalogue.All, code => Assert.Contains($"id=\"{code.Code}\"", html, StringComparison.Ordinal));
        Assert.NotEqual(body.GetProperty("title").GetString(), body.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_full_limit_names_itself_in_the_body_and_the_ratelimit_headers()
    {
        await using var host = await RunningHost.StartAsync(azurite, s => s["Otp:Applications:0:Limits:SendsPerRecipient:Limit"] = "1");
        await host.SendAsync(new { phone = "+420777600152" });

        using var refused = await host.PostAsync("/api/v1/otp/send", new { phone = "+420777600152" });
        var body = await RunningHost.ReadAsync(refused);

        Assert.Equal((HttpStatusCode.TooManyRequests, "rate_limited", "sends-per-recipient"), (refused.StatusCode, body.GetProperty("code").GetString(), body.GetProperty("limit").GetString()));
        Assert.Contains("'sends-per-recipient' (1 per", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Matches("^\"sends-per-recipient\";q=1;w=\\d+$", refused.Headers.GetValues("RateLimit-Policy").Single());
        Assert.Matches("^\"sends-per-recipient\";r=0;t=\\d+$", refused.Headers.GetValues("RateLimit").Single());
        Assert.NotNull(refused.Headers.RetryAfter);
    }

    [Theory]
    [InlineData("GET", "/api/v1/otp/send", HttpStatusCode.MethodNotAllowed, "method_not_allowed")]
    [InlineData("GET", "/api/v1/otp/verify", HttpStatusCode.MethodNotAllowed, "method_not_allowed")]
    [InlineData("GET", "/api/v1/otp/sned", HttpStatusCode.NotFound, "not_found")]
    [InlineData("POST", "/api/v1/otp/not-a-session-id/cancel", HttpStatusCode.NotFound, "not_found")]
    [InlineData("GET", "/api/v1/otp/AAAAAAAAAAAAAAAAAAAAAA", HttpStatusCode.NotFound, "session_not_found")]
    public async Task A_typod_route_answers_as_a_route_not_as_a_missing_session(string method, string path, HttpStatusCode status, string code)
    {
        await using var host = await RunningHost.StartAsync(azurite);

        using var response = await host.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        var body = await RunningHost.ReadAsync(response);

        Assert.Equal((status, code), (response.StatusCode, body.GetProperty("code").GetString()));
        if (status == HttpStatusCode.MethodNotAllowed)
        {
            Assert.Equal(["POST"], response.Content.Headers.Allow);
        }
    }
}
