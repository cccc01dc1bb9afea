using System.Net;
using System.Text;
using OtpFunctions.Channels.Twilio;
using OtpFunctions.Core.Workers;
using OtpFunctions.Testing;

namespace OtpFunctions.Host.Tests;

/// <summary>
/// Sending through a fake Twilio (Kestrel on 127.0.0.1), then Twilio's signed status callback
/// back into the host: receipt → otp-receipts → the step's status; an undelivered SMS cascades.
/// </summary>
[Collection(AzuriteTests.Name)]
public sealed class TwilioFlowTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string AuthToken = "twilio-test-auth-token";
    private const string PublicBase = "https://otp.example.com/";
    private FakeProviderServer _twilio = null!;
    private RunningHost _host = null!;

    public async Task InitializeAsync()
    {
        _twilio = await FakeProviderServer.StartAsync();
        _twilio.Answer = request => (201, $$"""{"sid":"SM{{Guid.NewGuid():N}}","status":"queued"}""", null);
        _host = await RunningHost.StartAsync(azurite, s =>
        {
            s["Otp:Channels:sms"] = "twilio";
            s["Otp:Channels:voice"] = "pickup";
            s["Otp:Providers:Twilio:AccountSid"] = "AC0123456789abcdef0123456789abcdef";
            s["Otp:Providers:Twilio:AuthToken"] = AuthToken;
            s["Otp:Providers:Twilio:From"] = "+15005550006";
            s["Otp:Providers:Twilio:StatusCallback"] = PublicBase + "api/v1/receipts/twilio";
            s["Otp:Providers:Twilio:BaseUrl"] = _twilio.BaseUrl.ToString();
            s["Otp:PublicBaseUrl"] = PublicBase;
        });
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _twilio.DisposeAsync();
    }

    [Fact]
    public async Task A_signed_delivered_callback_marks_the_sms_delivered_and_a_tampered_one_changes_nothing()
    {
        var id = await _host.SendAsync(new { phone = "+420777900001" });
        var sent = await WaitForTwilioAsync();
        var callback = new Uri(sent.Form["StatusCallback"]);
        var form = new Dictionary<string, string> { ["MessageSid"] = "SM1", ["MessageStatus"] = "delivered", ["To"] = "+420777900001" };

        // Signed for other parameters than the ones posted: refused.
        var otherForm = new Dictionary<string, string>(form) { ["MessageStatus"] = "failed" };
        using var tampered = await PostCallbackAsync(callback, form, TwilioSignature.Compute(AuthToken, callback.AbsoluteUri, otherForm));
        using var genuine = await PostCallbackAsync(callback, form, TwilioSignature.Compute(AuthToken, callback.AbsoluteUri, form));

        Assert.Equal(HttpStatusCode.Unauthorized, tampered.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, genuine.StatusCode);
        Assert.Equal(("delivered", "SM1"), await WaitForDeliveryAsync(id, 0, "delivered"));
    }

    [Fact]
    public async Task An_undelivered_sms_cascades_to_the_next_channel_with_the_same_code()
    {
        var id = await _host.SendAsync(new { phone = "+420777900002", channels = new[] { "sms", "whatsapp" } });
        var sent = await WaitForTwilioAsync();
        var callback = new Uri(sent.Form["StatusCallback"]);
        var form = new Dictionary<string, string> { ["MessageSid"] = "SM2", ["MessageStatus"] = "undelivered", ["ErrorCode"] = "30003" };

        using var response = await PostCallbackAsync(callback, form, TwilioSignature.Compute(AuthToken, callback.AbsoluteUri, form));
        var whatsapp = await _host.MessageAsync(id, step: 1);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Contains(whatsapp.Code, sent.Form["Body"], StringComparison.Ordinal);
        Assert.Equal(("undelivered", "SM2"), await WaitForDeliveryAsync(id, 0, "undelivered"));
    }

    [Fact]
    public async Task Receipts_reach_the_client_as_signed_events_and_duplicated_or_reordered_ones_change_nothing_twice()
    {
        await using var client = await FakeClient.StartAsync();
        var id = await _host.SendAsync(new { phone = "+420777900003", callback_url = client.Url });
        var callback = new Uri((await WaitForTwilioAsync()).Form["StatusCallback"]);
        await WaitForDeliveryAsync(id, 0, "sent");
        var delivered = new Dictionary<string, string> { ["MessageSid"] = "SM3", ["MessageStatus"] = "delivered" };
        var sent = new Dictionary<string, string> { ["MessageSid"] = "SM3", ["MessageStatus"] = "sent" };

        foreach (var form in new[] { delivered, sent, delivered })
        {
            using var response = await PostCallbackAsync(callback, form, TwilioSignature.Compute(AuthToken, callback.AbsoluteUri, form));
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        await WaitForDeliveryAsync(id, 0, "delivered");
        await Task.Delay(1500); // room for any wrongly doubled event to arrive
        var events = client.All.Select(e => (Json: System.Text.Json.JsonDocument.Parse(e.Body).RootElement, e.Body, e.Signature)).ToList();

        // One event per status change, not per receipt; queue workers run a batch concurrently, so
        // events carry their own time and clients order by it, not by arrival.
        Assert.Equal(["delivered", "sent"], events.Select(e => e.Json.GetProperty("deliveryStatus").GetString()).Order());
        Assert.All(events, e => Assert.True(EventSignature.Verify(RunningHost.CallbackSecret, e.Signature, e.Body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5))));
        var deliveredEvent = events.Single(e => e.Json.GetProperty("deliveryStatus").GetString() == "delivered").Json;
        Assert.Equal(("delivery", "sms", 1), (deliveredEvent.GetProperty("event").GetString(), deliveredEvent.GetProperty("channel").GetString(), deliveredEvent.GetProperty("sms_units").GetInt32()));
    }

    [Fact]
    public async Task Without_a_delivery_within_the_channel_timeout_the_cascade_moves_on()
    {
        var id = await _host.SendAsync(new { phone = "+420777900004", channels = new[] { "sms", "voice" }, channel_timeout_seconds = 15 });
        await WaitForTwilioAsync();
        _host.Time.Advance(TimeSpan.FromSeconds(15)); // the session's clock; the timer message itself waits 15 s on the queue

        var voice = await _host.MessageAsync(id, step: 1, timeout: TimeSpan.FromSeconds(40));

        Assert.Equal("voice", voice.Channel);
    }

    private async Task<RecordedRequest> WaitForTwilioAsync()
    {
        for (var i = 0; i < 400 && _twilio.Requests.IsEmpty; i++)
        {
            await Task.Delay(50);
        }

        return Assert.Single(_twilio.Requests);
    }

    private Task<HttpResponseMessage> PostCallbackAsync(Uri publicCallback, Dictionary<string, string> form, string signature)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, publicCallback.PathAndQuery) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add(TwilioSignature.Header, signature);
        return _host.Client.SendAsync(request);
    }

    private async Task<(string Status, string MessageId)> WaitForDeliveryAsync(string id, int step, string status)
    {
        for (var i = 0; i < 300; i++)
        {
            var body = await RunningHost.ReadAsync(await _host.Client.GetAsync($"/api/v1/otp/{id}"));
            var delivery = body.GetProperty("deliveries").EnumerateArray().FirstOrDefault(d => d.GetProperty("step").GetInt32() == step);
            if (delivery.ValueKind != System.Text.Json.JsonValueKind.Undefined && delivery.GetProperty("status").GetString() == status)
            {
                return (status, delivery.GetProperty("message_id").GetString()!);
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"Step {step} of {id} never became {status}.");
    }
}
