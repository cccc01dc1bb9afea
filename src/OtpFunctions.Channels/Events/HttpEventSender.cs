using System.Net.Http.Headers;
using System.Text;
using OtpFunctions.Core.Ports;
using OtpFunctions.Core.Workers;

namespace OtpFunctions.Channels.Events;

/// <summary>Posts client events with HttpClient; any non-2xx answer or fault is a failed try.</summary>
public sealed class HttpEventSender(HttpClient http) : IEventSender
{
    public async Task<bool> PostAsync(Uri url, string body, string signature, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        request.Headers.TryAddWithoutValidation(EventSignature.Header, signature);
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
}
