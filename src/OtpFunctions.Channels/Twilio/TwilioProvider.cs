using System.Net.Http.Headers;
using System.Security;
using System.Text;
using OtpFunctions.Core.Ports;
using OtpFunctions.Core.Sessions;

namespace OtpFunctions.Channels.Twilio;

/// <summary>
/// Twilio's REST API (2010-04-01): SMS and WhatsApp through the Messages resource, voice
/// through a Call whose TwiML <c>&lt;Say&gt;</c> reads the code digit by digit, twice. Each
/// message carries a StatusCallback naming its step, which is how receipts find their session.
/// </summary>
public sealed class TwilioProvider(Func<HttpClient> http, TwilioOptions options) : IChannelProvider
{
    public const string ProviderName = "twilio";

    public string Name => ProviderName;

    public bool Supports(Channel channel) => channel is Channel.Sms or Channel.Whatsapp or Channel.Voice;

    public async Task<ProviderResult> SendAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        var form = message.Channel == Channel.Voice ? Call(message) : Text(message);
        if (options.StatusCallback is { } callback)
        {
            form.Add(("StatusCallback", $"{callback}?ref={Uri.EscapeDataString(message.IdempotencyKey)}"));
        }

        var resource = message.Channel == Channel.Voice ? "Calls.json" : "Messages.json";
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(options.BaseUrl, $"2010-04-01/Accounts/{Uri.EscapeDataString(options.AccountSid)}/{resource}"))
        {
            Content = new FormUrlEncodedContent(form.Select(p => new KeyValuePair<string, string>(p.Name, p.Value))),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{options.AccountSid}:{options.AuthToken}")));

        using var response = await http().SendAsync(request, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            return ProviderResult.Accepted(Read(body, "sid") ?? "");
        }

        return ProviderResponses.Failure(ProviderName, response, $"{Read(body, "code")} {Read(body, "message")}");
    }

    private List<(string Name, string Value)> Text(OutgoingMessage message)
    {
        var whatsapp = message.Channel == Channel.Whatsapp;
        var form = new List<(string, string)> { ("To", whatsapp ? "whatsapp:" + message.To : message.To), ("Body", message.Text) };
        if (whatsapp)
        {
            form.Add(("From", "whatsapp:" + (options.WhatsAppFrom ?? options.From)));
        }
        else if (options.MessagingServiceSid is { } service)
        {
            form.Add(("MessagingServiceSid", service));
        }
        else
        {
            form.Add(("From", message.Sender ?? options.From ?? ""));
        }

        return form;
    }

    private List<(string Name, string Value)> Call(OutgoingMessage message)
    {
        // alice speaks the most languages; Twilio's man/woman voices cover a handful.
        var voice = message.VoiceGender == "male" ? "man" : "alice";
        var twiml = $"<Response><Say voice=\"{voice}\" language=\"{SecurityElement.Escape(message.VoiceLanguage)}\">{SecurityElement.Escape(message.Text)}</Say></Response>";
        return [("To", message.To), ("From", options.From ?? ""), ("Twiml", twiml)];
    }

    private static string? Read(string json, string property) => ProviderResponses.Read(json, property);
}
