using OtpFunctions.Testing;
using System.Text;
using OtpFunctions.Channels.Twilio;
using OtpFunctions.Core.Ports;
using OtpFunctions.Core.Sessions;

namespace OtpFunctions.Channels.Tests;

public sealed class TwilioTests : IAsyncLifetime
{
    private FakeProviderServer _twilio = null!;

    /// <summary>What the factory hands a provider for each call; here one client for the test.</summary>
    private static readonly HttpClient Client = new();

    private static readonly Func<HttpClient> Http = () => Client;
    private TwilioProvider _provider = null!;

    public async Task InitializeAsync()
    {
        _twilio = await FakeProviderServer.StartAsync();
        _provider = new TwilioProvider(Http, new TwilioOptions
        {
            AccountSid = "AC0123456789abcdef0123456789abcdef",
            AuthToken = "test-auth-token",
            From = "+15005550006",
            WhatsAppFrom = "+14155238886",
            StatusCallback = new Uri("https://otp.example.com/api/v1/receipts/twilio"),
            BaseUrl = _twilio.BaseUrl,
        });
    }

    public async Task DisposeAsync() => await _twilio.DisposeAsync();

    [Fact]
    public async Task An_sms_is_a_form_post_to_the_messages_resource_with_basic_auth_and_a_status_callback()
    {
        _twilio.Answer = _ => (201, """{"sid":"SM0123","status":"queued"}""", null);

        var result = await _provider.SendAsync(Message(Channel.Sms), default);

        var request = Assert.Single(_twilio.Requests);
        Assert.Equal(ProviderResult.Accepted("SM0123"), result);
        Assert.Equal(("POST", "/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages.json"), (request.Method, request.PathAndQuery));
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("AC0123456789abcdef0123456789abcdef:test-auth-token")), request.Headers["Authorization"]);
        Assert.StartsWith("application/x-www-form-urlencoded", request.Headers["Content-Type"], StringComparison.Ordinal);
        Assert.Equal("+420777123477", request.Form["To"]);
        Assert.Equal("ACME", request.Form["From"]);
        Assert.Equal("Acme: your code is 123456.", request.Form["Body"]);
        Assert.Equal("https://otp.example.com/api/v1/receipts/twilio?ref=AAAAAAAAAAAAAAAAAAAAAAAAAAA.1.0", request.Form["StatusCallback"]);
    }

    [Fact]
    public async Task Whatsapp_uses_whatsapp_addresses_on_both_sides()
    {
        _twilio.Answer = _ => (201, """{"sid":"SM0456"}""", null);

        await _provider.SendAsync(Message(Channel.Whatsapp), default);

        var form = Assert.Single(_twilio.Requests).Form;
        Assert.Equal(("whatsapp:+420777123477", "whatsapp:+14155238886"), (form["To"], form["From"]));
    }

    [Fact]
    public async Task A_voice_call_says_the_text_in_the_asked_language_with_escaped_twiml()
    {
        _twilio.Answer = _ => (201, """{"sid":"CA0789"}""", null);

        var result = await _provider.SendAsync(Message(Channel.Voice) with { Text = "1, 2, 3 <& 4>. Again: 1, 2, 3", VoiceLanguage = "cs-CZ", VoiceGender = "male" }, default);

        var request = Assert.Single(_twilio.Requests);
        Assert.Equal("CA0789", result.MessageId);
        Assert.EndsWith("/Calls.json", request.PathAndQuery, StringComparison.Ordinal);
        Assert.Equal("<Response><Say voice=\"man\" language=\"cs-CZ\">1, 2, 3 &lt;&amp; 4&gt;. Again: 1, 2, 3</Say></Response>", request.Form["Twiml"]);
        Assert.Equal("+15005550006", request.Form["From"]);
    }

    [Theory]
    [InlineData(400, """{"code":21211,"message":"The 'To' number is not a valid phone number."}""", ProviderOutcome.Permanent, "21211")]
    [InlineData(401, """{"code":20003,"message":"Authenticate"}""", ProviderOutcome.Permanent, "20003")]
    [InlineData(429, """{"code":20429,"message":"Too Many Requests"}""", ProviderOutcome.Transient, "20429")]
    [InlineData(503, "", ProviderOutcome.Transient, "503")]
    public async Task Errors_map_to_transient_or_permanent(int status, string body, ProviderOutcome outcome, string mentioned)
    {
        _twilio.Answer = _ => (status, body, status == 429 ? new Dictionary<string, string> { ["Retry-After"] = "7" } : null);

        var result = await _provider.SendAsync(Message(Channel.Sms), default);

        Assert.Equal(outcome, result.Outcome);
        Assert.Contains(mentioned, result.Error, StringComparison.Ordinal);
        Assert.Equal(status == 429 ? TimeSpan.FromSeconds(7) : null, result.RetryAfter);
    }

    [Fact]
    public void The_signature_matches_twilios_documented_example_and_any_change_breaks_it()
    {
        // Twilio's request-validation example: auth token 12345, this URL and these parameters.
        const string url = "https://mycompany.com/myapp.php?foo=1&bar=2";
        var parameters = new Dictionary<string, string>
        {
            ["CallSid"] = "CA1234567890ABCDE",
            ["Caller"] = "+14158675309",
            ["Digits"] = "1234",
            ["From"] = "+14158675309",
            ["To"] = "+18005551212",
        };

        Assert.Equal("RSOYDt4T1cUTdK1PDd93/VVr8B8=", TwilioSignature.Compute("12345", url, parameters));
        Assert.True(TwilioSignature.IsValid("12345", url, parameters, "RSOYDt4T1cUTdK1PDd93/VVr8B8="));
        Assert.False(TwilioSignature.IsValid("12346", url, parameters, "RSOYDt4T1cUTdK1PDd93/VVr8B8="));
        Assert.False(TwilioSignature.IsValid("12345", url + "&baz=3", parameters, "RSOYDt4T1cUTdK1PDd93/VVr8B8="));
        Assert.False(TwilioSignature.IsValid("12345", url, new Dictionary<string, string>(parameters) { ["Digits"] = "9999" }, "RSOYDt4T1cUTdK1PDd93/VVr8B8="));
        Assert.False(TwilioSignature.IsValid("12345", url, parameters, null));
    }

    [Theory]
    [InlineData("queued", DeliveryStatus.Queued)]
    [InlineData("sent", DeliveryStatus.Sent)]
    [InlineData("delivered", DeliveryStatus.Delivered)]
    [InlineData("read", DeliveryStatus.Delivered)]
    [InlineData("undelivered", DeliveryStatus.Undelivered)]
    [InlineData("failed", DeliveryStatus.Failed)]
    [InlineData("completed", DeliveryStatus.Delivered)]
    [InlineData("no-answer", DeliveryStatus.Undelivered)]
    public void Twilio_statuses_map_onto_ours(string twilio, DeliveryStatus ours)
    {
        Assert.Equal(ours, TwilioSignature.MapStatus(twilio));
        Assert.Null(TwilioSignature.MapStatus("accepted"));
    }

    private static OutgoingMessage Message(Channel channel) => OutgoingMessages.For(channel);
}
