using System.Net;
using System.Text.Json;
using OtpFunctions.Core.Workers;
using OtpFunctions.Testing;

namespace OtpFunctions.EndToEnd.Tests;

/// <summary>
/// What a team deploying the service relies on, checked against each deployable host over HTTP:
/// a live send dispatched through the queue to the provider, wrong and right codes, a lock, a
/// resend, a cancel, the expiry timer firing, a cascade moving on, a receipt ingested through its
/// queue, client events, and a compatibility route. The same checks on every host and runtime.
/// </summary>
public abstract partial class EndToEndChecks<THost>(THost deployed) : IClassFixture<THost> where THost : DeployedHost
{
    private static readonly TimeSpan Eventually = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_live_code_is_dispatched_through_the_queue_refused_when_wrong_and_approved_once_when_right()
    {
        var id = await deployed.SendAsync(new { phone = "+420777123477" });
        var sms = await deployed.MessageAsync(id);

        using var wrong = await deployed.PostAsync("/api/v1/otp/verify", new { session_token = id, code = WrongCode(sms.Code) });
        using var right = await deployed.PostAsync("/api/v1/otp/verify", new { session_token = id, code = sms.Code });
        using var again = await deployed.PostAsync("/api/v1/otp/verify", new { session_token = id, code = sms.Code });
        using var strict = await deployed.PostAsync("/api/v1/otp/verify", new { session_token = id, code = sms.Code, repeat = "conflict" });
        var wrongBody = await DeployedHost.ReadAsync(wrong);
        var rightBody = await DeployedHost.ReadAsync(right);

        Assert.Equal(("sms", true), (sms.Channel, sms.Text.Contains(sms.Code, StringComparison.Ordinal)));
        Assert.Equal((HttpStatusCode.BadRequest, "invalid_code", 4), (wrong.StatusCode, wrongBody.GetProperty("code").GetString(), wrongBody.GetProperty("attempts_remaining").GetInt32()));
        // The problem's type resolves, on every host, to the errors page's entry for its code.
        using var errors = await deployed.Client.GetAsync(new Uri(wrongBody.GetProperty("type").GetString()!).PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, errors.StatusCode);
        Assert.Contains("id=\"invalid_code\"", await errors.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.OK, "approved"), (right.StatusCode, rightBody.GetProperty("status").GetString()));
        // The same code again: the approval again, saying so; or 409 when asked.
        Assert.Equal((HttpStatusCode.OK, true), (again.StatusCode, again.Headers.Contains("Otp-Replayed")));
        Assert.Equal(HttpStatusCode.Conflict, strict.StatusCode);
    }

    [Fact]
    public async Task The_last_wrong_code_locks_the_session_and_then_the_right_one_is_refused()
    {
        var id = await deployed.SendAsync(new { phone = "+420777123400", max_attempts = 2 });
        var sms = await deployed.MessageAsync(id);

        using var first = await deployed.PostAsync("/api/v1/otp/verify", new { session_token = id, code = WrongCode(sms.Code) });
        using var second = await deployed.PostAsync("/api/v1/otp/verify", new { session_token = id, code = WrongCode(sms.Code) });
        using var right = await deployed.PostAsync("/api/v1/otp/verify", new { session_token = id, code = sms.Code });

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, (HttpStatusCode)423), (first.StatusCode, second.StatusCode, right.StatusCode));
        Assert.Equal("locked", (await deployed.StatusAsync(id)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_resend_after_the_cooldown_sends_a_new_code_and_only_the_new_one_verifies()
    {
        var id = await deployed.SendAsync(new { phone = "+420777123401" });
        var first = await deployed.MessageAsync(id);
        await Task.Delay(TimeSpan.FromSeconds(2.5)); // the test application's resend cooldown: 2 s

        using var resend = await deployed.PostAsync("/api/v1/otp/resend", new { session_token = id });
        var second = await deployed.MessageAsync(id, generation: 2);
        using var old = await deployed.PostAsync("/api/v1/otp/verify", new { session_token = id, code = first.Code });
        using var fresh = await deployed.PostAsync("/api/v1/otp/verify", new { session_token = id, code = second.Code });

        Assert.Equal(HttpStatusCode.OK, resend.StatusCode);
        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.OK), (old.StatusCode, fresh.StatusCode));
    }

    [Fact]
    public async Task A_canceled_session_reads_canceled_with_its_delivery_and_refuses_its_code()
    {
        var id = await deployed.SendAsync(new { phone = "+420777123402", correlator = "order-9" });
        var sms = await deployed.MessageAsync(id);
        await deployed.WaitAsync("recorded delivery", async () => Delivery(await deployed.StatusAsync(id), 0) == "sent", Eventually);

        using var cancel = await deployed.PostAsync($"/api/v1/otp/{id}/cancel", new { });
        using var verify = await deployed.PostAsync("/api/v1/otp/verify", new { session_token = id, code = sms.Code });
        var status = await deployed.StatusAsync(id);

        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, verify.StatusCode);
        Assert.Equal(("canceled", "+4207******02", "order-9"), (status.GetProperty("status").GetString(), status.GetProperty("to").GetString(), status.GetProperty("correlator").GetString()));
    }

    [Fact]
    public async Task The_expiry_timer_fires_on_time_telling_the_client_and_the_code_is_refused_after_it()
    {
        var id = await deployed.SendAsync(new { phone = "+420777123403", expiry_seconds = 30, callback_url = deployed.Events.BaseUrl + "events" });
        var sms = await deployed.MessageAsync(id);

        await deployed.WaitAsync("expired event", () => Task.FromResult(EventsOf(id).Contains("expired")), TimeSpan.FromSeconds(90));
        using var verify = await deployed.PostAsync("/api/v1/otp/verify", new { session_token = id, code = sms.Code });

        Assert.Equal(HttpStatusCode.Gone, verify.StatusCode);
        Assert.Equal("expired", (await deployed.StatusAsync(id)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_cascade_moves_on_when_the_first_provider_refuses_and_the_client_hears_of_each_step()
    {
        var id = await deployed.SendAsync(new { phone = "+420777123404", channels = new[] { DeployedHost.FailingChannel, "sms" }, callback_url = deployed.Events.BaseUrl + "events" });

        var sms = await deployed.MessageAsync(id, step: 1);
        using var verify = await deployed.PostAsync("/api/v1/otp/verify", new { session_token = id, code = sms.Code });
        await deployed.WaitAsync("approved event", () => Task.FromResult(EventsOf(id).Contains("approved")), Eventually);

        Assert.Equal(HttpStatusCode.OK, verify.StatusCode);
        Assert.Equal("failed", Delivery(await deployed.StatusAsync(id), 0));
    }

    [Fact]
    public async Task A_sandbox_drill_fails_the_first_channel_and_delivers_the_second_through_the_queue()
    {
        using var sent = await deployed.PostAsync("/api/v1/otp/send",
            new { phone = "+420777123409", channels = new[] { "sms", "voice" }, drill = new Dictionary<string, string> { ["sms"] = "failed", ["voice"] = "delivered" } }, HostSettings.SandboxKey);
        var id = (await DeployedHost.ReadAsync(sent)).GetProperty("id").GetString()!;

        JsonElement status = default;
        await deployed.WaitAsync("the voice step delivered", async () =>
        {
            using var response = await deployed.GetAsync($"/api/v1/otp/{id}", HostSettings.SandboxKey);
            status = await DeployedHost.ReadAsync(response);
            return Delivery(status, 1) == "delivered";
        }, Eventually);

        Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
        Assert.Equal("failed", Delivery(status, 0));
    }

    [Fact]
    public async Task Each_channel_carries_the_code_for_its_own_life_and_status_shows_each()
    {
        using var sent = await deployed.PostAsync("/api/v1/otp/send", new
        {
            phone = "+420777123931", email = "jane@example.com", channels = new[] { "sms", "email" }, channel_mode = "parallel",
            channel_expiry_seconds = new Dictionary<string, int> { ["sms"] = 120, ["email"] = 900 },
        }, HostSettings.SandboxKey);
        var body = await DeployedHost.ReadAsync(sent);
        using var status = await deployed.GetAsync($"/api/v1/otp/{body.GetProperty("id").GetString()}", HostSettings.SandboxKey);
        var read = await DeployedHost.ReadAsync(status);

        var lives = read.GetProperty("deliveries").EnumerateArray().ToDictionary(d => d.GetProperty("channel").GetString()!, d => d.GetProperty("code_expires_at").GetDateTimeOffset());
        Assert.Equal(TimeSpan.FromSeconds(780), lives["email"] - lives["sms"]);
        Assert.Equal(lives["email"], read.GetProperty("expires_at").GetDateTimeOffset());
    }

    [Fact]
    public async Task A_sandbox_test_number_gets_its_fixed_code_from_the_settings()
    {
        using var sent = await deployed.PostAsync("/api/v1/otp/send", new { phone = HostSettings.TestPhone }, HostSettings.SandboxKey);
        var shown = (await DeployedHost.ReadAsync(sent)).GetProperty("sandbox_otps").GetProperty("sms").GetString();
        using var verify = await deployed.PostAsync("/api/v1/otp/verify", new { phone = HostSettings.TestPhone, code = HostSettings.TestCode }, HostSettings.SandboxKey);

        Assert.Equal(HostSettings.TestCode, shown);
        Assert.Equal(HttpStatusCode.OK, verify.StatusCode);
    }

    [Fact]
    public async Task A_queue_message_that_is_not_base64_is_moved_out_of_its_queue_and_the_queue_keeps_flowing()
    {
        // Another producer, writing without the Base64 encoding the queues use.
        var raw = new Azure.Storage.Queues.QueueClient(deployed.Azurite.ConnectionString, Core.Messaging.QueueNames.Dispatch,
            new Azure.Storage.Queues.QueueClientOptions(Storage.Connection.StorageClients.QueueVersion) { MessageEncoding = Azure.Storage.Queues.QueueMessageEncoding.None });
        const string Unreadable = "{not base64 %%%}";
        await raw.SendMessageAsync(Unreadable);

        var id = await deployed.SendAsync(new { phone = "+420777123406" });
        var sms = await deployed.MessageAsync(id);

        Assert.False(string.IsNullOrEmpty(sms.Code));
        await deployed.WaitAsync("the unreadable message out of otp-dispatch",
            async () => (await raw.PeekMessagesAsync(32)).Value.All(m => m.Body.ToString() != Unreadable), Eventually);
    }

    [Fact]
    public async Task A_signed_receipt_is_ingested_through_its_queue_and_marks_the_step_delivered()
    {
        var id = await deployed.SendAsync(new { phone = "+420777123405" });
        await deployed.MessageAsync(id);
        await deployed.WaitAsync("recorded delivery", async () => Delivery(await deployed.StatusAsync(id), 0) == "sent", Eventually);
        var receipt = $$"""{"reference":"{{id}}.1.0","status":"delivered","message_id":"gw-1"}""";

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/receipts/generic") { Content = new StringContent(receipt, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Add(EventSignature.Header, EventSignature.Sign(HostSettings.GenericReceiptSecret, DateTimeOffset.UtcNow, receipt));
        using var accepted = await deployed.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        await deployed.WaitAsync("delivered status", async () => Delivery(await deployed.StatusAsync(id), 0) == "delivered", Eventually);

        // Support's answer to "did the code go out?": the attempts record saw each change of the step.
        using var listed = await deployed.GetAsync($"/api/v1/verifications?session_id={id}");
        var attempt = Assert.Single((await DeployedHost.ReadAsync(listed)).GetProperty("attempts").EnumerateArray());
        Assert.Equal(("delivered", "+4207******05"), (attempt.GetProperty("status").GetString(), attempt.GetProperty("to").GetString()));
        Assert.True(attempt.GetProperty("statuses").TryGetProperty("sent", out _));
    }

    [Fact]
    public async Task Twilio_verify_clients_create_and_check_a_verification_on_the_compat_route()
    {
        var service = $"/api/compat/twilio/v2/Services/VA{new string('e', 32)}";
        // Bound to a payment (PSD2): the binding crosses every runtime's storage and the check's command.
        using var created = await deployed.PostFormAsync($"{service}/Verifications", new() { ["To"] = "+420777123406", ["Channel"] = "sms", ["Amount"] = "EUR 5.00", ["Payee"] = "Acme" },
            HostSettings.ApplicationId, HostSettings.LiveKey);
        var verification = await DeployedHost.ReadAsync(created);
        var sid = verification.GetProperty("sid").GetString()!;
        // A SID is VE and the session id's 16 bytes in hex.
        var sms = await deployed.MessageAsync(System.Buffers.Text.Base64Url.EncodeToString(Convert.FromHexString(sid["VE".Length..])));

        using var otherPayee = await deployed.PostFormAsync($"{service}/VerificationCheck", new() { ["VerificationSid"] = sid, ["Code"] = sms.Code, ["Amount"] = "EUR 5.00", ["Payee"] = "Mallory" },
            HostSettings.ApplicationId, HostSettings.LiveKey);
        using var check = await deployed.PostFormAsync($"{service}/VerificationCheck", new() { ["To"] = "+420777123406", ["Code"] = sms.Code, ["Amount"] = "EUR 5.00", ["Payee"] = "Acme" },
            HostSettings.ApplicationId, HostSettings.LiveKey);
        var checkBody = await DeployedHost.ReadAsync(check);
        Assert.Equal("pending", (await DeployedHost.ReadAsync(otherPayee)).GetProperty("status").GetString());
        Assert.EndsWith("Acme: EUR 5.00", sms.Text, StringComparison.Ordinal);

        Assert.Equal((HttpStatusCode.Created, "pending"), (created.StatusCode, verification.GetProperty("status").GetString()));
        Assert.Matches("^VE[0-9a-f]{32}$", sid);
        Assert.Equal((HttpStatusCode.OK, "approved", true), (check.StatusCode, checkBody.GetProperty("status").GetString(), checkBody.GetProperty("valid").GetBoolean()));
    }

    /// <summary>The client events received for a session, by kind, in arrival order.</summary>
    private List<string> EventsOf(string id) =>
        [.. deployed.Events.Requests.Select(r => JsonDocument.Parse(r.Body).RootElement)
            .Where(e => e.TryGetProperty("id", out var session) && session.GetString() == id)
            .Select(e => e.GetProperty("event").GetString()!)];

    private static string? Delivery(JsonElement status, int step) =>
        status.GetProperty("deliveries").EnumerateArray().FirstOrDefault(d => d.GetProperty("step").GetInt32() == step) is { ValueKind: JsonValueKind.Object } d
            ? d.GetProperty("status").GetString()
            : null;

    private static string WrongCode(string code) => (code[0] == '0' ? "1" : "0") + code[1..];
}

public sealed class FunctionsOnTablesChecks(FunctionsOnTables deployed) : EndToEndChecks<FunctionsOnTables>(deployed);

public sealed class FunctionsOnDurableEntitiesChecks(FunctionsOnDurableEntities deployed) : EndToEndChecks<FunctionsOnDurableEntities>(deployed);

public sealed class SelfHostChecks(SelfHost deployed) : EndToEndChecks<SelfHost>(deployed);
