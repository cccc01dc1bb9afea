using System.Net.Http.Headers;
using System.Text;
using OtpFunctions.Core.Ports;
using OtpFunctions.Core.Workers;
using StandardWebhooks;

namespace OtpFunctions.Channels.Events;

/// <summary>
/// Posts client events with HttpClient, signed as the application chose: <c>X-Otp-Signature</c>, or
/// the Standard Webhooks headers written by the StandardWebhooks library (so any of that standard's
/// verifiers accepts them). Any non-2xx answer or fault is a failed try.
/// </summary>
public sealed class HttpEventSender(HttpClient http) : IEventSender
{
    public async Task<bool> PostAsync(Uri url, ClientEvent clientEvent, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(clientEvent.Body, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        foreach (var (name, value) in Headers(clientEvent))
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        try
        {
            using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Refused, unreachable, timed out, or the host's breaker is open: a failed try, retried on the event schedule.
            return false;
        }
    }

    /// <summary>The signature headers of an event in its application's scheme.</summary>
    public static IEnumerable<(string Name, string Value)> Headers(ClientEvent clientEvent)
    {
        if (clientEvent.Scheme == EventSigningScheme.StandardWebhooks)
        {
            var options = WebhookConfigurationOptions.StandardWebhooks;
            yield return (options.IdHeaderKey, clientEvent.Id);
            yield return (options.TimestampHeaderKey, clientEvent.Timestamp.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
            yield return (options.SignatureHeaderKey, new StandardWebhook(clientEvent.Secret).Sign(clientEvent.Id, clientEvent.Timestamp, clientEvent.Body));
            yield break;
        }

        yield return (EventSignature.Header, EventSignature.Sign(clientEvent.Secret, clientEvent.Timestamp, clientEvent.Body));
    }
}
