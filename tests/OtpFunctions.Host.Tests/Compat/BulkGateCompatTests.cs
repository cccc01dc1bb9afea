using System.Net;
using System.Text;
using System.Text.Json;
using OtpFunctions.Testing;

namespace OtpFunctions.Host.Tests.Compat;

/// <summary>BulkGate's documented OTP API, replayed against the profile over HTTP on Azurite.</summary>
[Collection(AzuriteTests.Name)]
public sealed class BulkGateCompatTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Send = "/api/compat/bulkgate/api/1.0/otp/send";
    private const string Verify = "/api/compat/bulkgate/api/1.0/otp/verify";
    private const string Resend = "/api/compat/bulkgate/api/1.0/otp/resend";
    private const string Credentials = $$"""  "application_id": "app1", "application_token": "{{RunningHost.LiveKey}}" """;
    private RunningHost _host = null!;

    public async Task InitializeAsync() => _host = await RunningHost.StartAsync(azurite, s =>
    {
        s["Otp:Applications:0:CompatProfiles:0"] = "bulkgate";
        s["Otp:Applications:0:AllowLongLivedCodes"] = "true";
        s["Otp:Applications:0:SendQuota"] = "4";
    });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task The_documented_send_then_resend_retires_the_old_code_and_the_new_one_verifies()
    {
        // The documented example request, with this application's credentials.
        var (status, sent) = await PostAsync(Send, With("""
            "number":"420777777777","language":"en","code_type":"int","code_length":6,
            "request_quota_number":1,"request_quota_identification":"127.0.0.1","expiration":3600,
            "channel":{"sms":{"sender_id":"gText","sender_id_value":"BulkGate","unicode":true}}
            """));
        var id = sent.GetProperty("data").GetProperty("id").GetString()!;
        var first = await _host.MessageAsync(id);
        _host.Time.Advance(TimeSpan.FromSeconds(31));
        var (resentStatus, resent) = await PostAsync(Resend, With($"\"id\": \"{id}\""));
        var second = await _host.MessageAsync(id, generation: 2);

        var old = await PostAsync(Verify, With($"\"id\": \"{id}\", \"code\": \"{first.Code}\""));
        var fresh = await PostAsync(Verify, With($"\"id\": \"{id}\", \"code\": \"{second.Code}\""));

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (status, resentStatus));
        var message = sent.GetProperty("data").GetProperty("message");
        Assert.Equal(["status", "message_id", "part_id", "number", "channel"], message.EnumerateObject().Select(p => p.Name));
        Assert.Equal(("accepted", "sms", JsonValueKind.Array), (message.GetProperty("status").GetString(), message.GetProperty("channel").GetString(), message.GetProperty("part_id").ValueKind));
        Assert.Equal(("BulkGate", "+420777777777"), (first.Sender, first.To));
        Assert.Equal(id, resent.GetProperty("data").GetProperty("id").GetString());
        Assert.Equal("{\"data\":{\"id\":\"" + id + "\",\"verified\":false}}", old.Body.GetRawText());
        Assert.Equal("{\"data\":{\"id\":\"" + id + "\",\"verified\":true}}", fresh.Body.GetRawText());
    }

    [Fact]
    public async Task A_daily_limit_caps_sends_to_the_number_in_any_24_hours_for_that_send()
    {
        var first = await PostAsync(Send, With("\"number\": \"420777600171\", \"request_quota_identification\": \"127.0.0.1\", \"daily_limit\": 1"));
        var second = await PostAsync(Send, With("\"number\": \"420777600171\", \"request_quota_identification\": \"127.0.0.1\", \"daily_limit\": 1"));
        var otherNumber = await PostAsync(Send, With("\"number\": \"420777600172\", \"request_quota_identification\": \"127.0.0.1\", \"daily_limit\": 1"));

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal((HttpStatusCode.TooManyRequests, "rate_limited"), (second.Status, second.Body.GetProperty("type").GetString()));
        Assert.Contains("sends-per-recipient-daily", second.Body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, otherNumber.Status);
    }

    [Fact]
    public async Task A_daily_limit_country_caps_sends_to_every_number_of_that_country_in_any_24_hours()
    {
        var first = await PostAsync(Send, With("\"number\": \"420777600181\", \"request_quota_identification\": \"127.0.0.1\", \"daily_limit_country\": 1"));
        var otherCzech = await PostAsync(Send, With("\"number\": \"420777600182\", \"request_quota_identification\": \"127.0.0.1\", \"daily_limit_country\": 1"));
        var slovak = await PostAsync(Send, With("\"number\": \"421903600183\", \"request_quota_identification\": \"127.0.0.1\", \"daily_limit_country\": 1"));

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal((HttpStatusCode.TooManyRequests, "rate_limited"), (otherCzech.Status, otherCzech.Body.GetProperty("type").GetString()));
        Assert.Contains("sends-per-country-daily", otherCzech.Body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, slovak.Status);
    }

    [Fact]
    public async Task The_sms_domain_makes_the_sms_end_with_the_webotp_line_for_that_site()
    {
        var (status, sent) = await PostAsync(Send, With("""
            "number": "420777600173", "request_quota_identification": "127.0.0.1",
            "channel": {"sms": {"sender_id": "gText", "sender_id_value": "Shop", "domain": "https://shop.example.com"}}
            """));
        var message = await _host.MessageAsync(sent.GetProperty("data").GetProperty("id").GetString()!);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.EndsWith($"\n\n@shop.example.com #{message.Code}", message.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_documented_error_comes_from_the_situation_the_docs_name()
    {
        var unknownIdentity = await PostAsync(Send, """{"application_id": "app1", "application_token": "otp_live_not_a_key_at_all", "number": "420777777777"}""");
        var wrongApplication = await PostAsync(Send, $$"""{"application_id": "other", "application_token": "{{RunningHost.LiveKey}}", "number": "420777777777"}""");
        var invalidId = await PostAsync(Resend, With($"\"id\": \"AAAAAAAAAAAAAAAAAAAAAAAAAAA\""));
        var emptyId = await PostAsync(Resend, With($"\"id\": \"\""));
        var resendWithoutId = await PostAsync(Resend, "{" + Credentials + "}");
        var missingCode = await PostAsync(Verify, With($"\"id\": \"AAAAAAAAAAAAAAAAAAAAAAAAAAA\""));
        var badNumber = await PostAsync(Send, With($"\"number\": \"12ab\""));
        var tooLong = await PostAsync(Send, With($"\"number\": \"420777777771\", \"code_length\": 100"));
        for (var i = 0; i < 4; i++)
        {
            await PostAsync(Send, With($"\"number\": \"42077777780{i}\""));
        }

        var lowCredit = await PostAsync(Send, With($"\"number\": \"420777777809\""));

        AssertError(unknownIdentity, 400, "unknown_identity", "Unknown identity");
        AssertError(wrongApplication, 400, "unknown_identity", "Unknown identity");
        AssertError(invalidId, 400, "invalid_id_provided", "Invalid id provided");
        AssertError(emptyId, 400, "invalid_id_provided", "Invalid id provided");
        AssertError(resendWithoutId, 400, "invalid_input_parameters", "Invalid input parameters");
        AssertError(missingCode, 400, "invalid_input_parameters", "Invalid input parameters");
        AssertError(badNumber, 400, "invalid_phone_number", "Invalid phone number");
        AssertError(tooLong, 400, "invalid_input_parameters", "Invalid input parameters");
        Assert.Contains("code_length", tooLong.Body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        AssertError(lowCredit, 402, "low_credit", "Low credit");
    }

    /// <summary>A body with this application's credentials and the given fields.</summary>
    private static string With(string fields) => "{" + Credentials + ", " + fields + "}";

    private static void AssertError((HttpStatusCode Status, JsonElement Body) response, int status, string type, string error)
    {
        Assert.Equal(status, (int)response.Status);
        Assert.Equal(["type", "code", "error", "detail"], response.Body.EnumerateObject().Select(p => p.Name));
        Assert.Equal((type, status, error), (response.Body.GetProperty("type").GetString(), response.Body.GetProperty("code").GetInt32(), response.Body.GetProperty("error").GetString()));
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string path, string json)
    {
        using var client = _host.VendorClient(); // credentials only in the body, as BulkGate sends them
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(path, content);
        return (response.StatusCode, await RunningHost.ReadAsync(response));
    }
}
