namespace OtpFunctions.Channels.Twilio;

/// <summary>One Twilio account as the service uses it; bound straight from <c>Otp:Providers:Twilio</c>.</summary>
public sealed record TwilioOptions
{
    public string AccountSid { get; init; } = "";

    /// <summary>Signs API calls (Basic auth) and verifies receipts (X-Twilio-Signature).</summary>
    public string AuthToken { get; init; } = "";

    /// <summary>The SMS and voice caller id (E.164), unless a messaging service is used.</summary>
    public string? From { get; init; }

    public string? MessagingServiceSid { get; init; }

    /// <summary>The WhatsApp sender, E.164 (sent as <c>whatsapp:+…</c>).</summary>
    public string? WhatsAppFrom { get; init; }

    /// <summary>The public URL of <c>/api/v1/receipts/twilio</c>, given to Twilio as StatusCallback; null for no receipts.</summary>
    public Uri? StatusCallback { get; init; }

    public Uri BaseUrl { get; init; } = new("https://api.twilio.com/");
}
