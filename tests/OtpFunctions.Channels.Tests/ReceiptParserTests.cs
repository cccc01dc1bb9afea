using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using OtpFunctions.Channels.Receipts;
using OtpFunctions.Core.Ports;
using OtpFunctions.Core.Sessions;
using OtpFunctions.Core.Workers;

namespace OtpFunctions.Channels.Tests;

public sealed class ReceiptParserTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_genuine_fresh_vonage_webhook_is_accepted()
    {
        var body = $$"""{"message_uuid":"uuid-1","status":"delivered","client_ref":"{{OutgoingMessages.Reference}}","channel":"sms"}""";

        var verdict = Assert.IsType<ReceiptVerdict.Accepted>(Vonage(body, Jwt(VonageSecret, Now, body)));

        var receipt = Assert.Single(verdict.Receipts);
        Assert.Equal(("AAAAAAAAAAAAAAAAAAAAAAAAAAA", 1, 0, DeliveryStatus.Delivered, "uuid-1"), (receipt.SessionId, receipt.Generation, receipt.Step, receipt.Status, receipt.MessageId));
    }

    [Fact]
    public void Vonage_tokens_that_are_forged_stale_for_another_body_or_missing_are_rejected()
    {
        var body = $$"""{"message_uuid":"uuid-1","status":"delivered","client_ref":"{{OutgoingMessages.Reference}}"}""";

        Assert.IsType<ReceiptVerdict.Rejected>(Vonage(body, Jwt("wrong-secret", Now, body)));
        Assert.IsType<ReceiptVerdict.Rejected>(Vonage(body, Jwt(VonageSecret, Now.AddMinutes(-6), body)));
        Assert.IsType<ReceiptVerdict.Rejected>(Vonage(body.Replace("delivered", "rejected", StringComparison.Ordinal), Jwt(VonageSecret, Now, body)));
        Assert.IsType<ReceiptVerdict.Rejected>(Vonage(body, null));
        Assert.IsType<ReceiptVerdict.Rejected>(Vonage(body, "Bearer not.a.jwt"));
    }

    [Fact]
    public void The_same_signed_receipt_twice_is_a_replay()
    {
        var vonage = new VonageReceiptParser(VonageSecret);
        var generic = new GenericReceiptParser("g-secret");
        var body = $$"""{"message_uuid":"u","status":"delivered","client_ref":"{{OutgoingMessages.Reference}}"}""";
        var genericBody = $$"""{"reference":"{{OutgoingMessages.Reference}}","status":"delivered"}""";
        var token = Jwt(VonageSecret, Now, body);
        var signature = EventSignature.Sign("g-secret", Now, genericBody);

        Assert.IsType<ReceiptVerdict.Accepted>(vonage.Parse(Inbound("https://x/", body, ("Authorization", token)), Now));
        Assert.IsType<ReceiptVerdict.Rejected>(vonage.Parse(Inbound("https://x/", body, ("Authorization", token)), Now.AddSeconds(5)));
        Assert.IsType<ReceiptVerdict.Accepted>(vonage.Parse(Inbound("https://x/", body, ("Authorization", Jwt(VonageSecret, Now, body))), Now));
        Assert.IsType<ReceiptVerdict.Accepted>(generic.Parse(Inbound("https://x/", genericBody, (EventSignature.Header, signature)), Now));
        Assert.IsType<ReceiptVerdict.Rejected>(generic.Parse(Inbound("https://x/", genericBody, (EventSignature.Header, signature)), Now.AddSeconds(5)));
    }

    [Theory]
    [InlineData("submitted", DeliveryStatus.Sent)]
    [InlineData("delivered", DeliveryStatus.Delivered)]
    [InlineData("read", DeliveryStatus.Delivered)]
    [InlineData("rejected", DeliveryStatus.Failed)]
    [InlineData("undeliverable", DeliveryStatus.Undelivered)]
    public void Vonage_statuses_map_onto_ours(string vonage, DeliveryStatus ours) => Assert.Equal(ours, VonageReceiptParser.MapStatus(vonage));

    [Fact]
    public void Event_grid_validation_is_answered_and_sms_delivery_reports_use_the_tag()
    {
        var parser = new AcsReceiptParser("grid-code");
        var handshake = """[{"id":"1","eventType":"Microsoft.EventGrid.SubscriptionValidationEvent","data":{"validationCode":"512d38b6-c7b8-40c8-89fe-f46f9e9622b6"}}]""";
        var report = $$$"""[{"id":"2","eventType":"Microsoft.Communication.SMSDeliveryReportReceived","data":{"MessageId":"Outgoing_1","DeliveryStatus":"Failed","DeliveryStatusDetails":"No route","Tag":"{{{OutgoingMessages.Reference}}}"}}]""";

        var answered = Assert.IsType<ReceiptVerdict.Handshake>(parser.Parse(Inbound("https://otp.example.com/api/v1/receipts/acs?code=grid-code", handshake), Now));
        var accepted = Assert.IsType<ReceiptVerdict.Accepted>(parser.Parse(Inbound("https://otp.example.com/api/v1/receipts/acs?code=grid-code", report), Now));

        var email = """[{"id":"3","eventType":"Microsoft.Communication.EmailDeliveryReportReceived","data":{"sender":"DoNotReply@otp.example.com","recipient":"jane@example.com","messageId":"op-1","status":"Bounced"}}]""";
        var bounced = Assert.IsType<ReceiptVerdict.Accepted>(parser.Parse(Inbound("https://otp.example.com/api/v1/receipts/acs?code=grid-code", email), Now));

        Assert.Equal(("", "op-1", DeliveryStatus.Undelivered), (bounced.Receipts[0].SessionId, bounced.Receipts[0].MessageId, bounced.Receipts[0].Status));
        Assert.Equal("512d38b6-c7b8-40c8-89fe-f46f9e9622b6", answered.Response["validationResponse"]);
        Assert.Equal((DeliveryStatus.Failed, "No route"), (accepted.Receipts[0].Status, accepted.Receipts[0].Error));
        Assert.IsType<ReceiptVerdict.Rejected>(parser.Parse(Inbound("https://otp.example.com/api/v1/receipts/acs?code=guess", report), Now));
        Assert.IsType<ReceiptVerdict.Rejected>(parser.Parse(Inbound("https://otp.example.com/api/v1/receipts/acs", handshake), Now));
    }

    [Fact]
    public void Generic_receipts_need_a_fresh_signature_over_the_exact_body()
    {
        var parser = new GenericReceiptParser("g-secret");
        var body = $$"""{"reference":"{{OutgoingMessages.Reference}}","status":"undelivered","error":"absent subscriber"}""";

        var accepted = Assert.IsType<ReceiptVerdict.Accepted>(parser.Parse(Inbound("https://x/", body, (EventSignature.Header, EventSignature.Sign("g-secret", Now, body))), Now));

        Assert.Equal(DeliveryStatus.Undelivered, accepted.Receipts[0].Status);
        Assert.IsType<ReceiptVerdict.Rejected>(parser.Parse(Inbound("https://x/", body + " ", (EventSignature.Header, EventSignature.Sign("g-secret", Now, body))), Now));
        Assert.IsType<ReceiptVerdict.Rejected>(parser.Parse(Inbound("https://x/", body, (EventSignature.Header, EventSignature.Sign("g-secret", Now.AddMinutes(-6), body))), Now));
    }

    [Fact]
    public void Bulkgate_confirmations_need_the_url_code_and_are_matched_later_by_sms_id()
    {
        var parser = new BulkGateReceiptParser("bg-code");
        var body = """[{"status":"1","smsID":"3t2563af3ff285","price":"0.71"},{"status":"3","smsID":"2t2563af3ff285"},{"status":"10","from":"420777777777","text":"reply"}]""";

        var accepted = Assert.IsType<ReceiptVerdict.Accepted>(parser.Parse(Inbound("https://otp.example.com/api/v1/receipts/bulkgate?code=bg-code", body), Now));

        Assert.Equal([("3t2563af3ff285", DeliveryStatus.Delivered), ("2t2563af3ff285", DeliveryStatus.Undelivered)],
            accepted.Receipts.Select(r => (r.MessageId!, r.Status)));
        Assert.All(accepted.Receipts, r => Assert.Equal("", r.SessionId));
        Assert.IsType<ReceiptVerdict.Rejected>(parser.Parse(Inbound("https://otp.example.com/api/v1/receipts/bulkgate?code=nope", body), Now));
    }

    private const string VonageSecret = "vonage-signature-secret";

    private static ReceiptVerdict Vonage(string body, string? authorization) =>
        new VonageReceiptParser(VonageSecret).Parse(Inbound("https://otp.example.com/api/v1/receipts/vonage", body, authorization is null ? null : ("Authorization", authorization)), Now);

    private static InboundReceipt Inbound(string url, string body, (string Name, string Value)? header = null) =>
        new(url, header is { } h ? new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { [h.Name] = h.Value } : new Dictionary<string, string>(),
            Encoding.UTF8.GetBytes(body), "application/json");

    /// <summary>An HS256 JWT as Vonage signs status webhooks: iat, jti and payload_hash (SHA-256 hex of the body).</summary>
    private static string Jwt(string secret, DateTimeOffset issued, string body) => Jwt(secret, issued.ToUnixTimeSeconds(), body, Guid.NewGuid().ToString());

    private static string Jwt(string secret, long issuedAt, string body, string? jti)
    {
        var header = Base64Url.EncodeToString("""{"alg":"HS256","typ":"JWT"}"""u8);
        var id = jti is null ? "" : $$""","jti":"{{jti}}" """.TrimEnd();
        var claims = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(
            $$"""{"iat":{{issuedAt}}{{id}},"iss":"Vonage","payload_hash":"{{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(body)))}}"}"""));
        var signature = Base64Url.EncodeToString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.ASCII.GetBytes(header + "." + claims)));
        return $"Bearer {header}.{claims}.{signature}";
    }

    [Fact]
    public void A_parser_without_its_signing_secret_cannot_be_built()
    {
        Assert.Throws<ArgumentException>(() => new VonageReceiptParser(""));
        Assert.Throws<ArgumentException>(() => new TwilioReceiptParser(" "));
        Assert.Throws<ArgumentException>(() => new GenericReceiptParser(""));
    }

    [Theory]
    [InlineData("t=1,t=2")]
    [InlineData("t=99999999999999,v1=00")]
    [InlineData("t=-99999999999999,v1=00")]
    [InlineData("v1=00")]
    [InlineData("t=,v1=")]
    [InlineData(",,,=,")]
    [InlineData("t=1700000000,v1=zz")]
    public void Generic_signature_headers_that_cannot_be_read_are_rejected_not_thrown(string header)
    {
        var verdict = new GenericReceiptParser("generic-receipt-secret").Parse(Inbound("https://x/", "{}", (EventSignature.Header, header)), Now);

        Assert.IsType<ReceiptVerdict.Rejected>(verdict);
    }

    [Fact]
    public void A_generic_signature_replayed_in_another_spelling_is_still_a_replay()
    {
        var parser = new GenericReceiptParser("generic-receipt-secret");
        var body = $$"""{"reference":"{{OutgoingMessages.Reference}}","status":"delivered"}""";
        var signature = EventSignature.Sign("generic-receipt-secret", Now, body);
        var t = signature.Split(',')[0];
        var v1 = signature.Split(',')[1];
        string[] respellings = [$"{t}, {v1}", $"{v1},{t}", $"{signature},v0=x", $"{t},{v1.ToUpperInvariant().Replace("V1=", "v1=", StringComparison.Ordinal)}"];

        Assert.IsType<ReceiptVerdict.Accepted>(parser.Parse(Inbound("https://x/", body, (EventSignature.Header, signature)), Now));
        Assert.All(respellings, header => Assert.IsType<ReceiptVerdict.Rejected>(parser.Parse(Inbound("https://x/", body, (EventSignature.Header, header)), Now)));
    }

    [Theory]
    [InlineData(99999999999999)]
    [InlineData(-99999999999999)]
    public void Vonage_tokens_with_an_impossible_iat_are_rejected_not_thrown(long issuedAt)
    {
        var body = $$"""{"message_uuid":"u","status":"delivered","client_ref":"{{OutgoingMessages.Reference}}"}""";

        Assert.IsType<ReceiptVerdict.Rejected>(Vonage(body, Jwt(VonageSecret, issuedAt, body, "j1")));
    }

    [Fact]
    public void A_vonage_token_without_jti_replayed_with_base64_padding_is_still_a_replay()
    {
        var parser = new VonageReceiptParser(VonageSecret);
        var body = $$"""{"message_uuid":"u","status":"delivered","client_ref":"{{OutgoingMessages.Reference}}"}""";
        var token = Jwt(VonageSecret, Now.ToUnixTimeSeconds(), body, jti: null);

        Assert.IsType<ReceiptVerdict.Accepted>(parser.Parse(Inbound("https://x/", body, ("Authorization", token)), Now));
        Assert.IsType<ReceiptVerdict.Rejected>(parser.Parse(Inbound("https://x/", body, ("Authorization", token + "=")), Now));
        Assert.IsType<ReceiptVerdict.Rejected>(parser.Parse(Inbound("https://x/", body, ("Authorization", "bearer  " + token["Bearer ".Length..])), Now));
    }
}
