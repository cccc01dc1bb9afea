using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using OtpFunctions.Core.Ports;
using OtpFunctions.Core.Sessions;

namespace OtpFunctions.Channels.Vonage;

/// <summary>A Vonage account; bound straight from <c>Otp:Providers:Vonage</c>.</summary>
public sealed record VonageOptions
{
    public string ApiKey { get; init; } = "";
    public string ApiSecret { get; init; } = "";

    /// <summary>Verifies the HS256 JWT on status webhooks (the account's signature secret).</summary>
    public string SignatureSecret { get; init; } = "";

    /// <summary>Sender for SMS (number or alphanumeric), unless the message names one.</summary>
    public string? SmsFrom { get; init; }

    public string? WhatsAppFrom { get; init; }

    /// <summary>The Viber service message id.</summary>
    public string? ViberFrom { get; init; }

    public Uri BaseUrl { get; init; } = new("https://api.nexmo.com/");
}

/// <summary>
/// Vonage's Messages API (<c>POST /v1/messages</c>, Basic auth): SMS, WhatsApp and Viber
/// (<c>viber_service</c>). The step's reference travels as <c>client_ref</c> (≤ 40 characters)
/// and comes back in every status webhook.
/// </summary>
public sealed class VonageProvider(Func<HttpClient> http, VonageOptions options) : IChannelProvider
{
    public const string ProviderName = "vonage";

    public string Name => ProviderName;

    public bool Supports(Channel channel) => channel is Channel.Sms or Channel.Whatsapp or Channel.Viber;

    public async Task<ProviderResult> SendAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        var (channel, from) = message.Channel switch
        {
            Channel.Whatsapp => ("whatsapp", options.WhatsAppFrom),
            Channel.Viber => ("viber_service", options.ViberFrom),
            _ => ("sms", message.Sender ?? options.SmsFrom),
        };
        var body = JsonSerializer.Serialize(new Dictionary<string, string?>
        {
            ["message_type"] = "text",
            ["channel"] = channel,
            ["to"] = message.To.TrimStart('+'), // E.164 without the plus, as Vonage asks
            ["from"] = from?.TrimStart('+'),
            ["text"] = message.Text,
            ["client_ref"] = message.IdempotencyKey,
        });
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(options.BaseUrl, "v1/messages"))
        {
            Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{options.ApiKey}:{options.ApiSecret}")));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

        using var response = await http().SendAsync(request, cancellationToken).ConfigureAwait(false);
        var answer = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        return response.IsSuccessStatusCode
            ? ProviderResult.Accepted(ProviderResponses.Read(answer, "message_uuid") ?? "")
            : ProviderResponses.Failure(ProviderName, response, $"{ProviderResponses.Read(answer, "title")} {ProviderResponses.Read(answer, "detail")}");
    }
}
