using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using OtpFunctions.Channels.Acs;
using OtpFunctions.Channels.Vonage;
using OtpFunctions.Channels.Webhook;
using OtpFunctions.Core.Ports;
using OtpFunctions.Core.Sessions;
using OtpFunctions.Core.Workers;
using OtpFunctions.Testing;

namespace OtpFunctions.Channels.Tests;

/// <summary>Each adapter against a fake of its provider on 127.0.0.1: the exact request, and the error mapping.</summary>
public sealed class ProviderTests : IAsyncLifetime
{
    private FakeProviderServer _server = null!;

    /// <summary>What the factory hands a provider for each call; here one client for the test.</summary>
    private static readonly HttpClient Client = new();

    private static readonly Func<HttpClient> Http = () => Client;

    public async Task InitializeAsync() => _server = await FakeProviderServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task The_webhook_provider_posts_signed_json_with_the_reference()
    {
        _server.Answer = _ => (200, """{"message_id":"gw-77"}""", null);
        var provider = new WebhookProvider(Http, new WebhookOptions(new Uri(_server.BaseUrl, "send"), "hook-secret"), TimeProvider.System);

        var result = await provider.SendAsync(OutgoingMessages.For(Channel.Viber), default);

        var request = Assert.Single(_server.Requests);
        var body = JsonDocument.Parse(request.Body).RootElement;
        Assert.Equal(ProviderResult.Accepted("gw-77"), result);
        Assert.Equal(("POST", "/send"), (request.Method, request.PathAndQuery));
        Assert.True(EventSignature.Verify("hook-secret", request.Headers[EventSignature.Header], request.Body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1)));
        Assert.Equal((OutgoingMessages.Reference, "viber", "+420777123477", "123456"),
            (body.GetProperty("reference").GetString(), body.GetProperty("channel").GetString(), body.GetProperty("to").GetString(), body.GetProperty("code").GetString()));
        Assert.Equal(OutgoingMessages.Reference, request.Headers["Idempotency-Key"]);
    }

    [Theory]
    [InlineData(Channel.Sms, "sms", "ACME")]
    [InlineData(Channel.Whatsapp, "whatsapp", "14155550000")]
    [InlineData(Channel.Viber, "viber_service", "16273")]
    public async Task Vonage_messages_api_gets_channel_sender_client_ref_and_basic_auth(Channel channel, string wire, string from)
    {
        _server.Answer = _ => (202, """{"message_uuid":"aaaaaaaa-bbbb-4ccc-8ddd-0123456789ab"}""", null);
        var provider = new VonageProvider(Http, new VonageOptions
        {
            ApiKey = "key", ApiSecret = "secret", SignatureSecret = "sig", WhatsAppFrom = "+14155550000", ViberFrom = "16273", BaseUrl = _server.BaseUrl,
        });

        var result = await provider.SendAsync(OutgoingMessages.For(channel), default);

        var request = Assert.Single(_server.Requests);
        var body = JsonDocument.Parse(request.Body).RootElement;
        Assert.Equal("aaaaaaaa-bbbb-4ccc-8ddd-0123456789ab", result.MessageId);
        Assert.Equal(("POST", "/v1/messages"), (request.Method, request.PathAndQuery));
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("key:secret")), request.Headers["Authorization"]);
        Assert.Equal((wire, "text", "420777123477", from, OutgoingMessages.Reference),
            (body.GetProperty("channel").GetString(), body.GetProperty("message_type").GetString(), body.GetProperty("to").GetString(),
             body.GetProperty("from").GetString(), body.GetProperty("client_ref").GetString()));
    }

    [Theory]
    [InlineData(422, ProviderOutcome.Permanent)]
    [InlineData(401, ProviderOutcome.Permanent)]
    [InlineData(429, ProviderOutcome.Transient)]
    [InlineData(500, ProviderOutcome.Transient)]
    public async Task Vonage_errors_map_to_transient_or_permanent(int status, ProviderOutcome outcome)
    {
        _server.Answer = _ => (status, """{"title":"Invalid params","detail":"The value of 'to' is invalid"}""", null);
        var provider = new VonageProvider(Http, new VonageOptions { ApiKey = "k", ApiSecret = "s", SignatureSecret = "x", BaseUrl = _server.BaseUrl });

        var result = await provider.SendAsync(OutgoingMessages.For(Channel.Sms), default);

        Assert.Equal(outcome, result.Outcome);
        Assert.Contains("Invalid params", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Acs_sms_is_hmac_signed_with_delivery_reports_and_the_reference_as_tag()
    {
        var key = Convert.ToBase64String(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray());
        _server.Answer = _ => (202, """{"value":[{"to":"+420777123477","messageId":"Outgoing_1","httpStatusCode":202,"successful":true}]}""", null);
        var provider = new AcsProvider(Http, new AcsOptions { Endpoint = _server.BaseUrl, AccessKey = key, SmsFrom = "+18335550000" }, TimeProvider.System);

        var result = await provider.SendAsync(OutgoingMessages.For(Channel.Sms), default);

        var request = Assert.Single(_server.Requests);
        var body = JsonDocument.Parse(request.Body).RootElement;
        Assert.Equal(ProviderResult.Accepted("Outgoing_1"), result);
        Assert.Equal("/sms?api-version=2021-03-07", request.PathAndQuery);
        Assert.Equal("+18335550000", body.GetProperty("from").GetString());
        Assert.Equal("+420777123477", body.GetProperty("smsRecipients")[0].GetProperty("to").GetString());
        Assert.True(body.GetProperty("smsSendOptions").GetProperty("enableDeliveryReport").GetBoolean());
        Assert.Equal(OutgoingMessages.Reference, body.GetProperty("smsSendOptions").GetProperty("tag").GetString());

        // The server side of ACS HMAC: recompute from what arrived.
        var contentHash = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(request.Body)));
        var stringToSign = $"POST\n{request.PathAndQuery}\n{request.Headers["x-ms-date"]};{_server.BaseUrl.Authority};{contentHash}";
        var signature = Convert.ToBase64String(HMACSHA256.HashData(Convert.FromBase64String(key), Encoding.UTF8.GetBytes(stringToSign)));
        Assert.Equal(contentHash, request.Headers["x-ms-content-sha256"]);
        Assert.Equal($"HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature={signature}", request.Headers["Authorization"]);
    }

    [Fact]
    public async Task Acs_without_an_access_key_sends_an_entra_id_token_for_the_communication_scope()
    {
        _server.Answer = _ => (202, """{"value":[{"messageId":"m","successful":true}]}""", null);
        var provider = new AcsProvider(Http, new AcsOptions { Endpoint = _server.BaseUrl, Credential = new FixedToken(), SmsFrom = "+18335550000" }, TimeProvider.System);

        await provider.SendAsync(OutgoingMessages.For(Channel.Sms), default);

        var request = Assert.Single(_server.Requests);
        Assert.Equal("Bearer token-for-https://communication.azure.com//.default", request.Headers["Authorization"]);
        Assert.False(request.Headers.ContainsKey("x-ms-content-sha256"));
    }

    private sealed class FixedToken : Azure.Core.TokenCredential
    {
        public override Azure.Core.AccessToken GetToken(Azure.Core.TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            new($"token-for-{string.Join(' ', requestContext.Scopes)}", DateTimeOffset.UtcNow.AddHours(1));

        public override ValueTask<Azure.Core.AccessToken> GetTokenAsync(Azure.Core.TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }

    [Fact]
    public async Task Acs_email_goes_to_emails_send_and_a_rejected_sms_recipient_is_permanent()
    {
        var key = Convert.ToBase64String(new byte[32]);
        var provider = new AcsProvider(Http, new AcsOptions { Endpoint = _server.BaseUrl, AccessKey = key, EmailFrom = "DoNotReply@otp.example.com" }, TimeProvider.System);
        _server.Answer = r => r.PathAndQuery.StartsWith("/emails", StringComparison.Ordinal)
            ? (202, """{"id":"op-1","status":"Running"}""", null)
            : (202, """{"value":[{"to":"+420777123477","httpStatusCode":400,"successful":false,"errorMessage":"Invalid To phone number format."}]}""", null);

        var email = await provider.SendAsync(OutgoingMessages.For(Channel.Email, "jane@example.com"), default);
        var sms = await provider.SendAsync(OutgoingMessages.For(Channel.Sms), default);

        var request = _server.Requests.First();
        var body = JsonDocument.Parse(request.Body).RootElement;
        Assert.Equal("/emails:send?api-version=2023-03-31", request.PathAndQuery);
        Assert.Equal(("op-1", "DoNotReply@otp.example.com", "jane@example.com"),
            (email.MessageId, body.GetProperty("senderAddress").GetString(), body.GetProperty("recipients").GetProperty("to")[0].GetProperty("address").GetString()));
        Assert.Equal(ProviderOutcome.Permanent, sms.Outcome);
        Assert.Contains("Invalid To", sms.Error, StringComparison.Ordinal);
    }
}

public sealed class BulkGateTests : IAsyncLifetime
{
    private static readonly HttpClient Shared = new();

    private FakeProviderServer _server = null!;
    private BulkGate.BulkGateProvider _provider = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeProviderServer.StartAsync();
        _provider = new BulkGate.BulkGateProvider(() => Shared, new BulkGate.BulkGateOptions
        {
            ApplicationId = "12345", ApplicationToken = "token", SenderId = "gText", SenderIdValue = "Acme", ViberSender = "AcmeViber", BaseUrl = _server.BaseUrl,
        });
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task An_sms_posts_credentials_number_text_tag_and_the_sms_channel_block()
    {
        _server.Answer = _ => (200, """{"data":{"total":{"price":0.02},"response":[{"status":"accepted","sms_id":"tmpde1bcd4b1d1","number":"420777123477"}]}}""", null);

        var result = await _provider.SendAsync(OutgoingMessages.For(Channel.Sms) with { Text = "Váš kód je 123456" }, default);

        var request = Assert.Single(_server.Requests);
        var body = JsonDocument.Parse(request.Body).RootElement;
        var sms = body.GetProperty("channel").GetProperty("sms");
        Assert.Equal(ProviderResult.Accepted("tmpde1bcd4b1d1"), result);
        Assert.Equal(("POST", "/api/2.0/advanced/transactional"), (request.Method, request.PathAndQuery));
        Assert.Equal(("12345", "token", "420777123477", OutgoingMessages.Reference),
            (body.GetProperty("application_id").GetString(), body.GetProperty("application_token").GetString(), body.GetProperty("number")[0].GetString(), body.GetProperty("tag").GetString()));
        Assert.Equal(("gText", "Acme", true), (sms.GetProperty("sender_id").GetString(), sms.GetProperty("sender_id_value").GetString(), sms.GetProperty("unicode").GetBoolean()));
    }

    [Fact]
    public async Task Viber_uses_the_viber_block()
    {
        _server.Answer = _ => (200, """{"data":{"response":[{"status":"accepted","sms_id":"v1"}]}}""", null);

        await _provider.SendAsync(OutgoingMessages.For(Channel.Viber), default);

        var viber = JsonDocument.Parse(Assert.Single(_server.Requests).Body).RootElement.GetProperty("channel").GetProperty("viber");
        Assert.Equal("AcmeViber", viber.GetProperty("sender").GetString());
    }

    [Theory]
    [InlineData(200, """{"data":{"response":[{"status":"invalid_number","number":"420777123477"}]}}""", ProviderOutcome.Permanent)]
    [InlineData(200, """{"data":{"response":[{"status":"blacklisted"}]}}""", ProviderOutcome.Permanent)]
    [InlineData(401, """{"type":"unknown_identity","code":401,"error":"Unknown identity / unauthorized / empty application_id"}""", ProviderOutcome.Permanent)]
    [InlineData(400, """{"type":"low_credit","code":400,"error":"Insufficient credit"}""", ProviderOutcome.Permanent)]
    [InlineData(503, "", ProviderOutcome.Transient)]
    public async Task A_refused_recipient_inside_a_200_is_a_failure_not_a_success(int status, string body, ProviderOutcome outcome)
    {
        _server.Answer = _ => (status, body, null);

        var result = await _provider.SendAsync(OutgoingMessages.For(Channel.Sms), default);

        Assert.Equal(outcome, result.Outcome);
    }
}
