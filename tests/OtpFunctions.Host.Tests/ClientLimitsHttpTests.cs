using System.Net;
using System.Net.Http.Headers;
using OtpFunctions.Testing;

namespace OtpFunctions.Host.Tests;

/// <summary>A client limit defined through Twilio's Rate Limits counts the native API's <c>limit_keys</c> too: one rule, every route.</summary>
[Collection(AzuriteTests.Name)]
public sealed class ClientLimitsHttpTests(AzuriteFixture azurite)
{
    private const string ServiceSid = "VA0123456789abcdef0123456789abcdef";

    [Fact]
    public async Task A_native_send_names_a_client_limit_in_limit_keys_and_the_full_bucket_answers_429_naming_it()
    {
        await using var host = await RunningHost.StartAsync(azurite, s =>
        {
            s["Otp:Applications:0:CompatProfiles:0"] = "twilio";
            s["Otp:Applications:0:ProfileSettings:twilio:ServiceSid"] = ServiceSid;
        });
        var limit = await TwilioFormAsync(host, $"/api/compat/twilio/v2/Services/{ServiceSid}/RateLimits", new() { ["UniqueName"] = "account" });
        await TwilioFormAsync(host, $"/api/compat/twilio/v2/Services/{ServiceSid}/RateLimits/{limit.GetProperty("sid").GetString()}/Buckets", new() { ["Max"] = "1", ["Interval"] = "600" });

        await host.SendAsync(new { phone = "+420777600141", limit_keys = new { account = "acct-7" } });
        using var full = await host.PostAsync("/api/v1/otp/send", new { phone = "+420777600142", limit_keys = new { account = "acct-7" } });
        using var unknown = await host.PostAsync("/api/v1/otp/send", new { phone = "+420777600143", limit_keys = new { tenant = "t1" } });
        var fullBody = await RunningHost.ReadAsync(full);
        var unknownBody = await RunningHost.ReadAsync(unknown);

        Assert.Equal((HttpStatusCode.TooManyRequests, "rate_limited"), (full.StatusCode, fullBody.GetProperty("code").GetString()));
        Assert.Contains("'account'", fullBody.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.NotNull(full.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.True(unknownBody.GetProperty("errors").TryGetProperty("limit_keys", out _), unknownBody.ToString());
    }

    private static async Task<System.Text.Json.JsonElement> TwilioFormAsync(RunningHost host, string path, Dictionary<string, string> form)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("app1:" + RunningHost.LiveKey)));
        using var client = host.VendorClient();
        using var response = await client.SendAsync(request);
        var body = await RunningHost.ReadAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.Created, body.ToString());
        return body;
    }
}
