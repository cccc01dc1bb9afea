using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using OtpFunctions.Core.Messaging;
using OtpFunctions.Core.Ports;
using OtpFunctions.Core.Sessions;

namespace OtpFunctions.Channels.BulkGate;

/// <summary>A BulkGate application; bound straight from <c>Otp:Providers:BulkGate</c>.</summary>
public sealed record BulkGateOptions
{
    public string ApplicationId { get; init; } = "";
    public string ApplicationToken { get; init; } = "";

    /// <summary>BulkGate sender type: gSystem, gShort, gText (with <see cref="SenderIdValue"/>), gOwn…</summary>
    public string SenderId { get; init; } = "gSystem";

    public string? SenderIdValue { get; init; }

    /// <summary>The Viber sender name registered with BulkGate.</summary>
    public string? ViberSender { get; init; }

    /// <summary>The <c>code</c> the delivery URL set in the BulkGate portal carries (…/receipts/bulkgate?code=…).</summary>
    public string? DeliveryCode { get; init; }

    public Uri BaseUrl { get; init; } = new("https://portal.bulkgate.com/");
}

/// <summary>
/// BulkGate's Advanced transactional API (<c>POST /api/2.0/advanced/transactional</c>): SMS,
/// Viber and WhatsApp. The answer is 200 even when the recipient was refused, so the
/// per-recipient status decides: accepted/sent/scheduled pass, anything else is permanent.
/// </summary>
public sealed class BulkGateProvider(Func<HttpClient> http, BulkGateOptions options) : IChannelProvider
{
    public const string ProviderName = "bulkgate";
    private static readonly string[] Accepted = ["accepted", "sent", "scheduled"];

    public string Name => ProviderName;

    public bool Supports(Channel channel) => channel is Channel.Sms or Channel.Viber or Channel.Whatsapp;

    /// <summary>BulkGate's delivery reports name only its smsID.</summary>
    public bool ReceiptsNameOnlyMessageId(Channel channel) => true;

    public async Task<ProviderResult> SendAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        var channel = message.Channel switch
        {
            Channel.Viber => new Dictionary<string, object?> { ["viber"] = new Dictionary<string, object?> { ["sender"] = options.ViberSender, ["expiration"] = 300 } },
            Channel.Whatsapp => new Dictionary<string, object?> { ["whatsapp"] = new Dictionary<string, object?>() },
            _ => new Dictionary<string, object?>
            {
                ["sms"] = new Dictionary<string, object?>
                {
                    ["sender_id"] = options.SenderId,
                    ["sender_id_value"] = options.SenderIdValue,
                    ["unicode"] = !SmsSegments.IsGsm7(message.Text),
                },
            },
        };
        var body = JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["application_id"] = options.ApplicationId,
            ["application_token"] = options.ApplicationToken,
            ["number"] = new[] { message.To.TrimStart('+') },
            ["text"] = message.Text,
            ["tag"] = message.IdempotencyKey,
            ["channel"] = channel,
        });
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(options.BaseUrl, "api/2.0/advanced/transactional"))
        {
            Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };

        using var response = await http().SendAsync(request, cancellationToken).ConfigureAwait(false);
        var answer = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            return ProviderResponses.Failure(ProviderName, response, $"{ProviderResponses.Read(answer, "type")} {ProviderResponses.Read(answer, "error")}");
        }

        var status = ProviderResponses.Read(answer, "data", "response", "status");
        return Accepted.Contains(status)
            ? ProviderResult.Accepted(ProviderResponses.Read(answer, "data", "response", "sms_id") ?? "")
            : ProviderResult.Permanent($"bulkgate recipient status {status ?? "missing"}");
    }
}
