using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using OtpFunctions.Core.Ports;
using OtpFunctions.Core.Sessions;
using OtpFunctions.Core.Workers;

namespace OtpFunctions.Channels.Webhook;

/// <summary>Configuration of the generic webhook provider (an in-house gateway).</summary>
public sealed record WebhookOptions(Uri Url, string Secret);

/// <summary>
/// Any in-house gateway: POSTs the message as JSON, signed like client events
/// (<c>X-Otp-Signature: t=…,v1=HMAC-SHA256(secret, t.body)</c>). The gateway answers 2xx with
/// an optional <c>message_id</c>, and reports delivery to <c>/api/v1/receipts/generic</c>
/// naming the message by its <c>reference</c>. The gateway must send a repeated <c>Idempotency-Key</c>
/// once: a dispatcher that crashed mid-call has the step sent again with the same key.
/// </summary>
public sealed class WebhookProvider(Func<HttpClient> http, WebhookOptions options, TimeProvider time) : IChannelProvider
{
    public const string ProviderName = "webhook";

    public string Name => ProviderName;

    public bool Supports(Channel channel) => true;

    /// <summary>The gateway gets the step's <c>Idempotency-Key</c> and, by this provider's contract, sends a repeat of it once.</summary>
    public bool DeduplicatesRetries(Channel channel) => true;

    public async Task<ProviderResult> SendAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.Serialize(new Dictionary<string, string?>
        {
            ["reference"] = message.IdempotencyKey,
            ["channel"] = message.Channel.ToWire(),
            ["to"] = message.To,
            ["text"] = message.Text,
            ["code"] = message.Code,
            ["sender"] = message.Sender,
            ["locale"] = message.Locale,
            ["voice_language"] = message.VoiceLanguage,
            ["voice_gender"] = message.VoiceGender,
        });
        using var request = new HttpRequestMessage(HttpMethod.Post, options.Url)
        {
            Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        request.Headers.TryAddWithoutValidation(EventSignature.Header, EventSignature.Sign(options.Secret, time.GetUtcNow(), body));
        request.Headers.TryAddWithoutValidation("Idempotency-Key", message.IdempotencyKey);

        using var response = await http().SendAsync(request, cancellationToken).ConfigureAwait(false);
        var answer = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        return response.IsSuccessStatusCode
            ? ProviderResult.Accepted(ProviderResponses.Read(answer, "message_id") ?? message.IdempotencyKey)
            : ProviderResponses.Failure(ProviderName, response, ProviderResponses.Read(answer, "error") ?? response.ReasonPhrase);
    }
}
