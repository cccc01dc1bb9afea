using System.Net;
using OtpFunctions.Testing;

namespace OtpFunctions.Host.Tests;

[Collection(AzuriteTests.Name)]
public sealed class HappyPathTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private RunningHost _host = null!;

    public async Task InitializeAsync() => _host = await RunningHost.StartAsync(azurite, s => s["Otp:Channels:viber"] = "failing-permanent");

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Send_dispatch_pickup_then_verify_by_id()
    {
        var id = await _host.SendAsync(new { phone = "+420777123477" });
        var sms = await _host.MessageAsync(id);

        using var verify = await _host.PostAsync("/api/v1/otp/verify", new { session_token = id, code = sms.Code });
        var body = await RunningHost.ReadAsync(verify);

        Assert.Equal(("sms", "+420777123477"), (sms.Channel, sms.To));
        Assert.Contains(sms.Code, sms.Text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, verify.StatusCode);
        Assert.True(body.GetProperty("verified").GetBoolean());
        Assert.Equal("approved", body.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Verify_by_recipient_with_the_aliases_of_other_apis()
    {
        var id = await _host.SendAsync(new { phone = "420 777 123 400", length = 8, validity_period = 120 });
        var sms = await _host.MessageAsync(id);

        using var verify = await _host.PostAsync("/api/v1/otp/verify", new { phone = "+420777123400", otp = sms.Code });

        Assert.Equal(8, sms.Code.Length);
        Assert.Equal(HttpStatusCode.OK, verify.StatusCode);
    }

    [Fact]
    public async Task Sandbox_keys_return_the_code_and_send_nothing()
    {
        using var send = await _host.PostAsync("/api/v1/otp/send", new { email = "jane@example.com" }, RunningHost.SandboxKey);
        var body = await RunningHost.ReadAsync(send);
        var id = body.GetProperty("id").GetString()!;
        var code = body.GetProperty("sandbox_otps").GetProperty("email").GetString()!;

        using var verify = await _host.PostAsync("/api/v1/otp/verify", new { id, code }, RunningHost.SandboxKey);

        Assert.Equal(HttpStatusCode.OK, verify.StatusCode);
        Assert.Equal("j***@example.com", body.GetProperty("to").GetString());
        Assert.False(File.Exists(Path.Combine(_host.Pickup, $"{id}.1.0.json")));
    }

    [Fact]
    public async Task Resend_kills_the_old_code_and_the_new_one_works()
    {
        var id = await _host.SendAsync(new { phone = "+420777123401" });
        var first = await _host.MessageAsync(id);
        _host.Time.Advance(TimeSpan.FromSeconds(30));

        using var resend = await _host.PostAsync("/api/v1/otp/resend", new { session_token = id });
        var resendBody = await RunningHost.ReadAsync(resend);
        var second = await _host.MessageAsync(id, generation: 2);
        using var old = await _host.PostAsync("/api/v1/otp/verify", new { session_token = id, code = first.Code });
        using var fresh = await _host.PostAsync("/api/v1/otp/verify", new { session_token = id, code = second.Code });

        Assert.Equal(HttpStatusCode.OK, resend.StatusCode);
        Assert.Equal("OTP resent successfully", resendBody.GetProperty("message").GetString());
        Assert.Equal(2, resendBody.GetProperty("resends_remaining").GetInt32());
        Assert.Equal(HttpStatusCode.BadRequest, old.StatusCode);
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
    }

    [Fact]
    public async Task Cancel_then_status_shows_canceled_and_the_delivery()
    {
        var id = await _host.SendAsync(new { phone = "+420777123402", correlator = "order-9" });
        await _host.MessageAsync(id);
        await WaitForDeliveryAsync(id, "sent");

        using var cancel = await _host.Client.PostAsync($"/api/v1/otp/{id}/cancel", null);
        using var status = await _host.Client.GetAsync($"/api/v1/otp/{id}");
        var body = await RunningHost.ReadAsync(status);
        var delivery = body.GetProperty("deliveries")[0];

        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        Assert.Equal("canceled", body.GetProperty("status").GetString());
        Assert.Equal("+4207******02", body.GetProperty("to").GetString());
        Assert.Equal(("CZ", "mobile"), (body.GetProperty("country").GetString(), body.GetProperty("number_type").GetString()));
        Assert.Equal("order-9", body.GetProperty("correlator").GetString());
        Assert.Equal(("sms", "sent", "pickup"), (delivery.GetProperty("channel").GetString(), delivery.GetProperty("status").GetString(), delivery.GetProperty("provider").GetString()));
        Assert.Equal($"{id}.1.0", delivery.GetProperty("message_id").GetString());
    }

    [Fact]
    public async Task A_code_past_its_expiry_is_refused_with_410()
    {
        var id = await _host.SendAsync(new { phone = "+420777123403", expiry_seconds = 30 });
        var sms = await _host.MessageAsync(id);
        _host.Time.Advance(TimeSpan.FromSeconds(30));

        using var verify = await _host.PostAsync("/api/v1/otp/verify", new { session_token = id, code = sms.Code });
        using var status = await _host.Client.GetAsync($"/api/v1/otp/{id}");

        Assert.Equal(HttpStatusCode.Gone, verify.StatusCode);
        Assert.Equal("expired", (await RunningHost.ReadAsync(status)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Cascade_moves_to_the_next_channel_with_the_same_code_when_the_first_provider_fails()
    {
        var id = await _host.SendAsync(new { phone = "+420777123404", channels = new[] { "viber", "sms" } });

        var sms = await _host.MessageAsync(id, step: 1);
        var status = await WaitForDeliveryAsync(id, "failed");

        Assert.Equal("sms", sms.Channel);
        Assert.Equal("viber", status.GetProperty("deliveries")[0].GetProperty("channel").GetString());
        using var verify = await _host.PostAsync("/api/v1/otp/verify", new { session_token = id, code = sms.Code });
        Assert.Equal(HttpStatusCode.OK, verify.StatusCode);
    }

    [Fact]
    public async Task Parallel_mode_sends_on_every_channel_at_once_with_one_code()
    {
        var id = await _host.SendAsync(new { phone = "+420777123405", email = "p@example.com", channels = new[] { "sms", "email", "voice" }, channel_mode = "parallel" });

        var sms = await _host.MessageAsync(id, step: 0);
        var email = await _host.MessageAsync(id, step: 1);
        var voice = await _host.MessageAsync(id, step: 2);

        Assert.Equal(sms.Code, email.Code);
        Assert.Equal("p@example.com", email.To);
        Assert.Contains(string.Join(", ", sms.Code.ToCharArray()), voice.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_message_is_localised_and_the_response_reports_its_sms_units()
    {
        using var czech = await _host.PostAsync("/api/v1/otp/send", new { phone = "+420777123406" }); // no locale: the number's country chooses
        using var english = await _host.PostAsync("/api/v1/otp/send", new { phone = "+420777123408", locale = "en" });
        using var russian = await _host.PostAsync("/api/v1/otp/send", new { phone = "+420777123409", locale = "ru" });
        using var longText = await _host.PostAsync("/api/v1/otp/send", new { phone = "+420777123407", text = "{code} " + new string('x', 200) });
        var czechId = (await RunningHost.ReadAsync(czech)).GetProperty("id").GetString()!;
        var sms = await _host.MessageAsync(czechId);
        var englishSms = await _host.MessageAsync((await RunningHost.ReadAsync(english)).GetProperty("id").GetString()!);

        Assert.StartsWith("Acme: ověřovací kód", sms.Text, StringComparison.Ordinal);
        Assert.StartsWith("Acme: your verification code is", englishSms.Text, StringComparison.Ordinal);
        Assert.Equal(1, (await RunningHost.ReadAsync(czech)).GetProperty("sms_units").GetInt32()); // UCS-2, within 70 units
        Assert.Equal(2, (await RunningHost.ReadAsync(russian)).GetProperty("sms_units").GetInt32()); // UCS-2, over 70 units
        Assert.Equal(2, (await RunningHost.ReadAsync(longText)).GetProperty("sms_units").GetInt32()); // GSM-7, 207 septets
    }

    [Fact]
    public async Task Health_and_the_openapi_document_are_served()
    {
        using var anonymous = new HttpClient { BaseAddress = _host.Client.BaseAddress };
        using var health = await anonymous.GetAsync("/api/health");
        using var openApi = await anonymous.GetAsync("/api/openapi.json");
        var document = await RunningHost.ReadAsync(openApi);

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.True((await RunningHost.ReadAsync(health)).GetProperty("storage").GetBoolean());
        Assert.True(document.GetProperty("paths").TryGetProperty("/api/v1/otp/send", out _));
        Assert.True(document.GetProperty("paths").TryGetProperty("/api/v1/otp/{id}/cancel", out _));

        // The request types are the schemas: API names, the host-set caller address not among them.
        var schemas = document.GetProperty("components").GetProperty("schemas");
        var send = schemas.GetProperty("SendRequest").GetProperty("properties").EnumerateObject().Select(p => p.Name).ToList();
        var verify = schemas.GetProperty("VerifyRequest").GetProperty("properties").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("code_length", send);
        Assert.Contains("allow_upper_case", send);
        Assert.Equal(["session_token", "code", "phone", "email", "amount", "payee", "repeat"], verify);
        Assert.Equal("202", document.GetProperty("paths").GetProperty("/api/v1/otp/send").GetProperty("post").GetProperty("responses").EnumerateObject().First().Name);
    }

    [Fact]
    public async Task A_sandbox_drill_rehearses_a_refused_sms_and_a_delivered_voice_call_through_the_queue_workers_and_a_live_key_may_not()
    {
        var id = await _host.SendAsync(new { phone = "+420777123405", channels = new[] { "sms", "voice" }, drill = new Dictionary<string, string> { ["sms"] = "failed", ["voice"] = "delivered" } }, RunningHost.SandboxKey);
        var status = await WaitForDeliveryAsync(id, "delivered", RunningHost.SandboxKey);
        using var live = await _host.PostAsync("/api/v1/otp/send", new { phone = "+420777123406", drill = new Dictionary<string, string> { ["sms"] = "failed" } });

        var deliveries = status.GetProperty("deliveries").EnumerateArray().Select(d => (d.GetProperty("channel").GetString(), d.GetProperty("status").GetString())).ToList();
        Assert.Equal([("sms", "failed"), ("voice", "delivered")], deliveries);
        Assert.Equal(HttpStatusCode.BadRequest, live.StatusCode);
        Assert.Contains("Use a sandbox key", (await RunningHost.ReadAsync(live)).GetProperty("errors").GetProperty("drill")[0].GetString(), StringComparison.Ordinal);
    }

    private async Task<System.Text.Json.JsonElement> WaitForDeliveryAsync(string id, string deliveryStatus, string apiKey = RunningHost.LiveKey)
    {
        for (var i = 0; i < 200; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/otp/{id}");
            request.Headers.Add("X-API-Key", apiKey); // in place of the client's default (the live key)
            using var response = await _host.Client.SendAsync(request);
            var body = await RunningHost.ReadAsync(response);
            if (body.GetProperty("deliveries").EnumerateArray().Any(d => d.GetProperty("status").GetString() == deliveryStatus))
            {
                return body;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"No {deliveryStatus} delivery for {id}.");
    }
}
