using System.Net;
using System.Text;
using System.Text.Json;
using OtpFunctions.Testing;

namespace OtpFunctions.Host.Tests.Compat;

/// <summary>Sendmator's documented OTP API, replayed against the profile over HTTP on Azurite.</summary>
[Collection(AzuriteTests.Name)]
public sealed class SendmatorCompatTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Send = "/api/compat/sendmator/api/v1/otp/send";
    private const string Verify = "/api/compat/sendmator/api/v1/otp/verify";
    private const string Resend = "/api/compat/sendmator/api/v1/otp/resend";
    private const string TestKey = "sk_test_hosttest_key_0001";
    private const string LiveKey = "sk_live_hosttest_key_0001";
    private RunningHost _host = null!;

    public async Task InitializeAsync() => _host = await RunningHost.StartAsync(azurite, s =>
    {
        s["Otp:Applications:0:CompatProfiles:0"] = "sendmator";
        s["Otp:Applications:0:ApiKeys:2"] = TestKey;
        s["Otp:Applications:0:ApiKeys:3"] = LiveKey;
        s["Otp:Applications:0:SendQuota"] = "3";
    });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_sandbox_send_on_two_channels_then_resend_retires_the_old_code_and_the_new_one_verifies()
    {
        var (status, sent) = await PostAsync(Send, """
            {"channels": ["email", "sms"], "recipients": {"email": "jane@example.com", "sms": "+12025550190"}, "metadata": {"user_id": "42"}}
            """, TestKey);
        var token = sent.GetProperty("session_token").GetString()!;
        var first = sent.GetProperty("sandbox_otps").GetProperty("sms").GetString()!;
        _host.Time.Advance(TimeSpan.FromSeconds(31));
        var (resentStatus, resent) = await PostAsync(Resend, $$$"""{"session_token": "{{{token}}}"}""", TestKey);
        var second = resent.GetProperty("sandbox_otps").GetProperty("email").GetString()!;

        var (_, old) = await PostAsync(Verify, $$$"""{"token": "{{{token}}}", "otps": {"sms": "{{{first}}}"}}""", TestKey);
        var (_, fresh) = await PostAsync(Verify, $$$"""{"session_token": "{{{token}}}", "otps": {"email": "{{{second}}}", "sms": "{{{second}}}"}}""", TestKey);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (status, resentStatus));
        Assert.True(sent.GetProperty("success").GetBoolean());
        Assert.Equal(["email", "sms"], sent.GetProperty("channels").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(first, sent.GetProperty("sandbox_otps").GetProperty("email").GetString());
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$", sent.GetProperty("expires_at").GetString());
        Assert.Equal(token, sent.GetProperty("data").GetProperty("session_id").GetString());
        Assert.Equal(["success", "expires_at", "message", "sandbox_otps"], resent.EnumerateObject().Select(p => p.Name));
        Assert.Equal("OTP resent successfully", resent.GetProperty("message").GetString());
        Assert.False(old.GetProperty("data").GetProperty("verified").GetBoolean());
        Assert.True(fresh.GetProperty("data").GetProperty("verified").GetBoolean());
        Assert.True(fresh.GetProperty("data").GetProperty("verification_results").GetProperty("email").GetProperty("success").GetBoolean());
        Assert.False(Directory.Exists(_host.Pickup) && Directory.EnumerateFiles(_host.Pickup, token + "*").Any());
    }

    [Fact]
    public async Task A_live_send_and_resend_have_no_sandbox_otps_member_at_all()
    {
        var (status, sent) = await PostAsync(Send, """{"channels": ["sms"], "recipients": {"sms": "+12025550196"}}""", LiveKey);
        var token = sent.GetProperty("session_token").GetString()!;
        _host.Time.Advance(TimeSpan.FromSeconds(31));
        var (resentStatus, resent) = await PostAsync(Resend, $$$"""{"session_token": "{{{token}}}"}""", LiveKey);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (status, resentStatus));
        Assert.Equal(["success", "session_token", "expires_at", "channels", "message", "data"], sent.EnumerateObject().Select(p => p.Name));
        Assert.False(sent.GetProperty("data").TryGetProperty("otps", out _));
        Assert.Equal(["success", "expires_at", "message"], resent.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task Sandbox_mode_with_a_live_key_returns_the_codes_and_sends_nothing()
    {
        var (_, sent) = await PostAsync(Send, """{"channels": ["sms"], "recipients": {"sms": "+12025550191"}, "sandbox_mode": true}""", LiveKey);
        var token = sent.GetProperty("session_token").GetString()!;
        var code = sent.GetProperty("sandbox_otps").GetProperty("sms").GetString();

        var (status, verified) = await PostAsync(Verify, $$$"""{"token": "{{{token}}}", "otps": {"sms": "{{{code}}}"}}""", LiveKey);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(verified.GetProperty("data").GetProperty("verified").GetBoolean());
        await Task.Delay(500);
        Assert.False(Directory.Exists(_host.Pickup) && Directory.EnumerateFiles(_host.Pickup, token + "*").Any());
    }

    [Fact]
    public async Task Every_documented_error_message_comes_from_its_situation()
    {
        var (_, verifiedSession) = await PostAsync(Send, """{"channels": ["sms"], "recipients": {"sms": "+12025550192"}}""", TestKey);
        var verifiedToken = verifiedSession.GetProperty("session_token").GetString();
        await PostAsync(Verify, $$$"""{"token": "{{{verifiedToken}}}", "otps": {"sms": "{{{verifiedSession.GetProperty("sandbox_otps").GetProperty("sms").GetString()}}}"}}""", TestKey);
        var (_, lockedSession) = await PostAsync(Send, """{"channels": ["sms"], "recipients": {"sms": "+12025550193"}, "config": {"max_attempts": 1}}""", TestKey);
        var lockedToken = lockedSession.GetProperty("session_token").GetString();
        await PostAsync(Verify, $$$"""{"token": "{{{lockedToken}}}", "otps": {"sms": "000000x"}}""", TestKey);
        for (var i = 0; i < 3; i++)
        {
            await PostAsync(Send, $$$"""{"channels": ["sms"], "recipients": {"sms": "+120255501{{{i}}}0"}}""", LiveKey);
        }

        AssertError(await PostAsync(Send, "{}", "sk_live_not_a_key_at_all"), 401, "Invalid API key");
        AssertError(await PostAsync(Resend, """{"session_token": "AAAAAAAAAAAAAAAAAAAAAAAAAAA"}""", TestKey), 400, "Session not found");
        AssertError(await PostAsync(Resend, $$$"""{"session_token": "{{{verifiedToken}}}"}""", TestKey), 400, "Session already verified");
        AssertError(await PostAsync(Resend, $$$"""{"session_token": "{{{lockedToken}}}"}""", TestKey), 400, "Session is locked due to too many failed attempts");
        AssertError(await PostAsync(Send, """{"channels": ["sms"], "recipients": {"sms": "+12025550109"}}""", LiveKey), 402, "Insufficient balance");
        var (_, fresh) = await PostAsync(Send, """{"channels": ["sms"], "recipients": {"sms": "+12025550194"}}""", TestKey);
        AssertError(await PostAsync(Resend, $$$"""{"session_token": "{{{fresh.GetProperty("session_token").GetString()}}}"}""", TestKey), 429, "Rate limit exceeded");
    }

    [Fact]
    public async Task Whatsapp_alone_legacy_session_id_and_per_channel_results_map_and_what_cannot_be_kept_is_refused()
    {
        var (status, sent) = await PostAsync(Send, """{"channels": ["whatsapp"], "recipients": {"whatsapp": "+12025550195"}}""", TestKey);
        var token = sent.GetProperty("session_token").GetString();
        var code = sent.GetProperty("sandbox_otps").GetProperty("whatsapp").GetString();
        _host.Time.Advance(TimeSpan.FromSeconds(31));
        var (legacyStatus, _) = await PostAsync(Resend, $$$"""{"session_id": "{{{token}}}"}""", TestKey);
        var (_, mixed) = await PostAsync(Verify, $$$"""{"token": "{{{token}}}", "otps": {"whatsapp": "000000x", "sms": "{{{code}}}"}}""", TestKey);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (status, legacyStatus));
        Assert.Equal("+1202*****95", sent.GetProperty("data").GetProperty("recipients").GetProperty("whatsapp").GetString());
        Assert.False(mixed.GetProperty("data").GetProperty("verified").GetBoolean()); // the resend retired that code
        Assert.False(mixed.GetProperty("data").GetProperty("verification_results").GetProperty("whatsapp").GetProperty("success").GetBoolean());
        AssertError(await PostAsync(Send, """{"channels": ["sms", "whatsapp"], "recipients": {"sms": "+12025550196", "whatsapp": "+12025550197"}}""", TestKey), 400,
            "recipients.whatsapp: One session reaches one phone: sms and whatsapp must be the same number.");
        AssertError(await PostAsync(Send, """{"channels": ["sms"], "recipients": {"sms": "+12025550196"}, "add_contact": true}""", TestKey), 400, "add_contact: Contacts are not kept by this service.");
        AssertError(await PostAsync(Send, """{"recipients": {"sms": "+12025550196"}}""", TestKey), 400, "channels: The channels field is required.");
        AssertError(await PostAsync(Verify, $$$"""{"token": "{{{token}}}"}""", TestKey), 400, "otps: The otps field is required.");
        AssertError(await PostAsync("/api/compat/sendmator/api/v1/otp/status", "{}", TestKey), 404, "Cannot POST /api/v1/otp/status");
    }

    private static void AssertError((HttpStatusCode Status, JsonElement Body) response, int status, string message)
    {
        Assert.Equal(status, (int)response.Status);
        Assert.Equal(["statusCode", "message", "error"], response.Body.EnumerateObject().Select(p => p.Name));
        Assert.Equal((status, message), (response.Body.GetProperty("statusCode").GetInt32(), response.Body.GetProperty("message").GetString()));
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string path, string json, string key)
    {
        using var client = _host.VendorClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-API-Key", key);
        using var response = await client.SendAsync(request);
        return (response.StatusCode, await RunningHost.ReadAsync(response));
    }
}
