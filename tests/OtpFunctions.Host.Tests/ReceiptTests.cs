using System.Net;
using System.Text;
using OtpFunctions.Core.Messaging;
using OtpFunctions.Core.Workers;
using OtpFunctions.Testing;

namespace OtpFunctions.Host.Tests;

/// <summary>The generic provider's signed receipts: accepted through otp-receipts, or refused with nothing changed.</summary>
[Collection(AzuriteTests.Name)]
public sealed class ReceiptTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Secret = "generic-receipt-secret";
    private RunningHost _host = null!;

    public async Task InitializeAsync() => _host = await RunningHost.StartAsync(azurite, s => s["Otp:GenericReceiptSecret"] = Secret);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_signed_receipt_marks_the_step_delivered_and_duplicates_change_nothing()
    {
        var id = await _host.SendAsync(new { phone = "+420777800001" });
        var sms = await _host.MessageAsync(id);
        var body = $$"""{"reference":"{{sms.MessageId}}","status":"delivered","message_id":"gw-1"}""";

        using var first = await PostReceiptAsync(body, EventSignature.Sign(Secret, DateTimeOffset.UtcNow, body));
        // The gateway's retry is signed anew (a later t); the replayed request is refused.
        var retrySignature = EventSignature.Sign(Secret, DateTimeOffset.UtcNow.AddSeconds(1), body);
        using var duplicate = await PostReceiptAsync(body, retrySignature);
        using var replay = await PostReceiptAsync(body, retrySignature);
        var delivery = await WaitForStatusAsync(id, "delivered");

        Assert.Equal((HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.Unauthorized), (first.StatusCode, duplicate.StatusCode, replay.StatusCode));
        Assert.Equal("gw-1", delivery.GetProperty("message_id").GetString());
    }

    [Theory]
    [InlineData("wrong-secret", 0)]
    [InlineData(Secret, -10)]
    [InlineData(null, 0)]
    public async Task Bad_stale_or_missing_signatures_are_401_and_queue_nothing(string? secret, int minutesAgo)
    {
        var body = """{"reference":"AAAAAAAAAAAAAAAAAAAAAAAAAAA.1.0","status":"failed"}""";
        var signature = secret is null ? null : EventSignature.Sign(secret, DateTimeOffset.UtcNow.AddMinutes(minutesAgo), body);

        using var response = await PostReceiptAsync(body, signature);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("invalid_signature", (await RunningHost.ReadAsync(response)).GetProperty("code").GetString());
        Assert.Empty(await _host.Storage.Queue(QueueNames.Receipts).PeekAllAsync());
    }

    [Theory]
    [InlineData("t=1,t=2")]
    [InlineData("t=99999999999999,v1=00")]
    public async Task Unreadable_signature_headers_are_401_not_500(string header)
    {
        using var response = await PostReceiptAsync("""{"reference":"AAAAAAAAAAAAAAAAAAAAAAAAAAA.1.0","status":"failed"}""", header);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_tampered_body_is_refused_and_an_unknown_provider_is_404()
    {
        var body = """{"reference":"AAAAAAAAAAAAAAAAAAAAAAAAAAA.1.0","status":"failed"}""";
        var signature = EventSignature.Sign(Secret, DateTimeOffset.UtcNow, body);

        using var tampered = await PostReceiptAsync(body.Replace("failed", "delivered", StringComparison.Ordinal), signature);
        using var unknown = await _host.Client.PostAsync("/api/v1/receipts/carrier-pigeon", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Unauthorized, tampered.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task A_signed_receipt_with_a_bad_reference_or_status_is_400()
    {
        var body = """{"reference":"not-a-reference","status":"lost"}""";

        using var response = await PostReceiptAsync(body, EventSignature.Sign(Secret, DateTimeOffset.UtcNow, body));
        var problem = await RunningHost.ReadAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(problem.GetProperty("errors").TryGetProperty("reference", out _));
    }

    private Task<HttpResponseMessage> PostReceiptAsync(string body, string? signature)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/receipts/generic") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (signature is not null)
        {
            request.Headers.Add(EventSignature.Header, signature);
        }

        return _host.Client.SendAsync(request);
    }

    private async Task<System.Text.Json.JsonElement> WaitForStatusAsync(string id, string status)
    {
        for (var i = 0; i < 300; i++)
        {
            var body = await RunningHost.ReadAsync(await _host.Client.GetAsync($"/api/v1/otp/{id}"));
            var delivery = body.GetProperty("deliveries")[0];
            if (delivery.GetProperty("status").GetString() == status)
            {
                return delivery;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"Delivery of {id} never became {status}.");
    }
}
