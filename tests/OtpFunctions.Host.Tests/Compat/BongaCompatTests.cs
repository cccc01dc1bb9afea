using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using OtpFunctions.Testing;

namespace OtpFunctions.Host.Tests.Compat;

/// <summary>Bonga's documented OTP API, replayed against the profile over HTTP on Azurite.</summary>
[Collection(AzuriteTests.Name)]
public sealed class BongaCompatTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string SendOtp = "/api/compat/bonga/api/v1/send-otp";
    private const string VerifyOtp = "/api/compat/bonga/api/v1/verify-otp";
    private RunningHost _host = null!;

    public async Task InitializeAsync() => _host = await RunningHost.StartAsync(azurite, s =>
    {
        s["Otp:Applications:0:CompatProfiles:0"] = "bonga";
        s["Otp:Applications:0:DefaultCountry"] = "KE";
    });

    public async Task DisposeAsync() => await _host.DisposeAsync();


    [Fact]
    public async Task The_documented_send_returns_the_documented_shape_and_a_national_number_verifies_the_code()
    {
        // The documented sample request, as written.
        var (status, sent) = await PostAsync(SendOtp, """
            {
                "sender": "BONGATECH",
                "phone": "254712345678",
                "expiry_time": 300,
                "character_type": "numeric",
                "length": 6,
                "correlator": "otp-789"
            }
            """);
        var data = sent.GetProperty("data");
        var code = (await _host.MessageAsync(data.GetProperty("uniqueId").GetString()!)).Code;

        var (verifiedStatus, verified) = await PostAsync(VerifyOtp, $$"""{"phone": "0712345678", "otp": "{{code}}"}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal((true, "Message successfully queued!"), (sent.GetProperty("status").GetBoolean(), sent.GetProperty("message").GetString()));
        Assert.Equal(["correlator", "uniqueId", "phone", "sms_units"], data.EnumerateObject().Select(p => p.Name));
        Assert.Equal(("otp-789", "254712345678", 1), (data.GetProperty("correlator").GetString(), data.GetProperty("phone").GetString(), data.GetProperty("sms_units").GetInt32()));
        Assert.Equal(HttpStatusCode.OK, verifiedStatus);
        Assert.Equal("""{"status":true,"message":"OTP verified successfully"}""", verified.GetRawText());
    }

    [Fact]
    public async Task A_wrong_or_missing_otp_is_the_documented_error_and_sending_again_retires_the_old_code()
    {
        await PostAsync(SendOtp, """{"sender": "BONGATECH", "phone": "0712000001"}""");
        var first = await LatestCodeAsync("+254712000001");
        var (_, again) = await PostAsync(SendOtp, """{"sender": "BONGATECH", "phone": "712000001"}""");
        var second = (await _host.MessageAsync(again.GetProperty("data").GetProperty("uniqueId").GetString()!)).Code;

        var wrong = await PostAsync(VerifyOtp, """{"phone": "254712000001", "otp": "000000x"}""");
        var missing = await PostAsync(VerifyOtp, """{"phone": "254712000001"}""");
        var old = await PostAsync(VerifyOtp, $$"""{"phone": "254712000001", "otp": "{{first}}"}""");
        var latest = await PostAsync(VerifyOtp, $$"""{"phone": "+254712000001", "otp": "{{second}}"}""");

        Assert.All([wrong, missing, old], r => Assert.Equal((HttpStatusCode.BadRequest, """{"status":false,"message":"Invalid OTP."}"""), (r.Status, r.Body.GetRawText())));
        Assert.Equal(HttpStatusCode.OK, latest.Status);
    }

    [Fact]
    public async Task Without_a_key_or_without_the_profile_enabled_the_call_is_unauthenticated()
    {
        using var anonymous = new HttpRequestMessage(HttpMethod.Post, SendOtp) { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        using var client = _host.VendorClient();
        using var response = await client.SendAsync(anonymous);
        await using var other = await RunningHost.StartAsync(azurite);
        using var disabled = new HttpRequestMessage(HttpMethod.Post, SendOtp) { Content = new StringContent("""{"sender":"BONGATECH","phone":"254712345678"}""", Encoding.UTF8, "application/json") };
        disabled.Headers.Authorization = new AuthenticationHeaderValue("Bearer", RunningHost.LiveKey);
        using var otherClient = other.VendorClient();
        using var refused = await otherClient.SendAsync(disabled);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("""{"status":false,"message":"Unauthenticated."}""", (await RunningHost.ReadAsync(response)).GetRawText());
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task Bad_fields_are_named_and_nothing_is_silently_fixed()
    {
        var noSender = await PostAsync(SendOtp, """{"phone": "254712345678"}""");
        var tooShort = await PostAsync(SendOtp, """{"sender": "BONGATECH", "phone": "254712345678", "length": 3}""");
        var unknown = await PostAsync(SendOtp, """{"sender": "BONGATECH", "phone": "254712345678", "lenght": 6}""");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, noSender.Status);
        Assert.True(noSender.Body.GetProperty("errors").TryGetProperty("sender", out _));
        Assert.True(tooShort.Body.GetProperty("errors").TryGetProperty("code_length", out _));
        Assert.True(unknown.Body.GetProperty("errors").TryGetProperty("lenght", out _));
        Assert.False(noSender.Body.GetProperty("status").GetBoolean());
    }

    [Fact]
    public async Task Delivery_receipts_reach_the_endpoint_in_bongas_shape()
    {
        await using var client = await FakeClient.StartAsync();
        var (_, sent) = await PostAsync(SendOtp, $$"""{"sender": "BONGATECH", "phone": "254712000002", "correlator": "order-7", "endpoint": "{{client.Url}}"}""");
        var id = sent.GetProperty("data").GetProperty("uniqueId").GetString();

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (client.All.IsEmpty)
        {
            Assert.True(DateTime.UtcNow < deadline, "No delivery receipt arrived.");
            await Task.Delay(100);
        }

        var receipt = JsonDocument.Parse(client.All.First().Body).RootElement;
        Assert.Equal(["phone", "correlator", "uniqueId", "deliveryStatus", "deliveryTime"], receipt.EnumerateObject().Select(p => p.Name));
        Assert.Equal(("order-7", id, "DeliveredToNetwork"), (receipt.GetProperty("correlator").GetString(), receipt.GetProperty("uniqueId").GetString(), receipt.GetProperty("deliveryStatus").GetString()));
        Assert.Matches(new Regex(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$"), receipt.GetProperty("deliveryTime").GetString());
        Assert.DoesNotContain("712000002", receipt.GetProperty("phone").GetString(), StringComparison.Ordinal);
    }

    private async Task<string> LatestCodeAsync(string phone)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var files = Directory.Exists(_host.Pickup) ? Directory.GetFiles(_host.Pickup, "*.json") : [];
            var match = files.Select(Channels.Local.PickedUpMessage.Read).Where(m => m.To == phone).ToList();
            if (match.Count > 0)
            {
                return match[^1].Code;
            }

            Assert.True(DateTime.UtcNow < deadline, $"No message to {phone}.");
            await Task.Delay(50);
        }
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string path, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", RunningHost.LiveKey);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var client = _host.VendorClient();
        using var response = await client.SendAsync(request);
        return (response.StatusCode, await RunningHost.ReadAsync(response));
    }
}
