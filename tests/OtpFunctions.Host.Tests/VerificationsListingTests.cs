using System.Net;
using System.Text.Json;
using OtpFunctions.Testing;

namespace OtpFunctions.Host.Tests;

/// <summary>
/// <c>GET /api/v1/verifications</c> as support staff use it to answer "did the code go out?":
/// the self-host with its queue workers on Azurite, the attempts record filled by real sends,
/// dispatches and verifies.
/// </summary>
[Collection(AzuriteTests.Name)]
public sealed class VerificationsListingTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_number_shows_its_attempts_newest_first_with_delivery_and_conversion_and_pages_by_token()
    {
        await using var host = await RunningHost.StartAsync(azurite);
        var first = await host.SendAsync(new { phone = "+420777600301" });
        var code = (await host.MessageAsync(first)).Code;
        using (var verified = await host.PostAsync("/api/v1/otp/verify", new { session_token = first, code }))
        {
            Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        }

        host.Time.Advance(TimeSpan.FromSeconds(1));
        var second = await host.SendAsync(new { phone = "+420777600301" });
        await host.MessageAsync(second);
        await host.SendAsync(new { phone = "+420777600302" });
        await host.SendAsync(new { phone = "+420777600301" }, RunningHost.SandboxKey);

        var byNumber = await ListAsync(host, "?to=%2B420%20777%20600%20301");
        var page1 = await ListAsync(host, "?to=%2B420777600301&page_size=1");
        var page2 = await ListAsync(host, $"?to=%2B420777600301&page_size=1&page_token={Uri.EscapeDataString(page1.GetProperty("next_page_token").GetString()!)}");
        var converted = await ListAsync(host, "?converted=true");
        var sandbox = await ListAsync(host, "", RunningHost.SandboxKey);

        var attempts = byNumber.GetProperty("attempts");
        Assert.Equal([second, first], attempts.EnumerateArray().Select(a => a.GetProperty("session_id").GetString()));
        Assert.Equal(("sent", false, "+4207******01", "sms", "CZ"), Fields(attempts[0]));
        Assert.Equal(("sent", true, "+4207******01", "sms", "CZ"), Fields(attempts[1]));
        Assert.True(attempts[1].GetProperty("statuses").TryGetProperty("sent", out _));
        Assert.False(byNumber.TryGetProperty("next_page_token", out _)); // the last page names no next one
        Assert.Equal(second, Assert.Single(page1.GetProperty("attempts").EnumerateArray()).GetProperty("session_id").GetString());
        Assert.Equal(first, Assert.Single(page2.GetProperty("attempts").EnumerateArray()).GetProperty("session_id").GetString());
        Assert.Equal(first, Assert.Single(converted.GetProperty("attempts").EnumerateArray()).GetProperty("session_id").GetString());
        Assert.Single(sandbox.GetProperty("attempts").EnumerateArray());
        Assert.DoesNotContain("777600301", byNumber.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("?colour=blue", "colour")]
    [InlineData("?to=%2B42", "to")]
    [InlineData("?status=lost", "status")]
    [InlineData("?channel=fax", "channel")]
    [InlineData("?converted=yes", "converted")]
    [InlineData("?from=yesterday", "from")]
    [InlineData("?country=cz", "country")]
    [InlineData("?page_size=0", "page_size")]
    [InlineData("?page_size=1001", "page_size")]
    [InlineData("?page_token=AAAA", "page_token")]
    [InlineData("?to=%2B420777600301&to=%2B420777600302", "to")]
    [InlineData("?from=2026-12-07T10:00:00Z&to_date=2026-12-06T10:00:00Z", "from")]
    public async Task A_bad_query_is_400_naming_the_parameter(string query, string field)
    {
        await using var host = await RunningHost.StartAsync(azurite);

        using var response = await host.Client.GetAsync("/api/v1/verifications" + query);
        var body = await RunningHost.ReadAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(body.GetProperty("errors").TryGetProperty(field, out _), body.ToString());
    }

    [Fact]
    public async Task Without_a_key_the_listing_is_refused()
    {
        await using var host = await RunningHost.StartAsync(azurite);
        using var anonymous = host.VendorClient();

        using var response = await anonymous.GetAsync("/api/v1/verifications");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private static async Task<JsonElement> ListAsync(RunningHost host, string query, string? key = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/verifications" + query);
        if (key is not null)
        {
            request.Headers.Remove("X-API-Key");
            request.Headers.Add("X-API-Key", key);
        }

        using var client = key is null ? null : host.VendorClient();
        using var response = await (client ?? host.Client).SendAsync(request);
        var body = await RunningHost.ReadAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToString());
        return body;
    }

    private static (string?, bool, string?, string?, string?) Fields(JsonElement attempt) => (
        attempt.GetProperty("status").GetString(), attempt.GetProperty("converted").GetBoolean(), attempt.GetProperty("to").GetString(),
        attempt.GetProperty("channel").GetString(), attempt.GetProperty("country").GetString());
}
