using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace OtpFunctions.Client;

/// <summary>
/// The native API of one application (its key travels with every request): send, verify, resend,
/// status, cancel, stats and the delivery attempts. Every refusal is an <see cref="OtpApiException"/>
/// with the problem's stable code. Register it with
/// <see cref="OtpClientServiceCollectionExtensions.AddOtpClient(Microsoft.Extensions.DependencyInjection.IServiceCollection, Action{OtpClientOptions})"/>,
/// which also retries what the service asks to be retried soon.
/// </summary>
public sealed class OtpClient(HttpClient http)
{
    /// <summary>Makes a retried send safe: the same key and body answer the first send again.</summary>
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    /// <summary>On a verify's 200 when it answered the approving code typed again.</summary>
    public const string ReplayedHeader = "Otp-Replayed";

    /// <summary>Sends a code. Without an <paramref name="idempotencyKey"/>, one is made for this call, so the client's own retries never send twice.</summary>
    public async Task<SendResponse> SendAsync(SendRequest request, string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var message = Post("api/v1/otp/send", request);
        message.Headers.Add(IdempotencyKeyHeader, idempotencyKey ?? Guid.NewGuid().ToString("N"));
        return (await SendAsync<SendResponse>(message, cancellationToken).ConfigureAwait(false)).Body;
    }

    /// <summary>Checks a code; a wrong one is an <see cref="OtpApiException"/> with <see cref="OtpErrorCodes.InvalidCode"/> and the attempts left.</summary>
    public async Task<VerifyResponse> VerifyAsync(VerifyRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var message = Post("api/v1/otp/verify", request);
        var (body, response) = await SendAsync<VerifyResponse>(message, cancellationToken).ConfigureAwait(false);
        return body with { Replayed = response.Headers.Contains(ReplayedHeader) };
    }

    /// <summary>Sends a new code for a session.</summary>
    public async Task<SendResponse> ResendAsync(ResendRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var message = Post("api/v1/otp/resend", request);
        return (await SendAsync<SendResponse>(message, cancellationToken).ConfigureAwait(false)).Body;
    }

    /// <summary>A session's status and deliveries.</summary>
    public async Task<StatusResponse> GetAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, $"api/v1/otp/{Uri.EscapeDataString(sessionId)}");
        return (await SendAsync<StatusResponse>(message, cancellationToken).ConfigureAwait(false)).Body;
    }

    /// <summary>Cancels a pending session.</summary>
    public async Task<StatusResponse> CancelAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, $"api/v1/otp/{Uri.EscapeDataString(sessionId)}/cancel");
        return (await SendAsync<StatusResponse>(message, cancellationToken).ConfigureAwait(false)).Body;
    }

    /// <summary>The application's usage over the last <paramref name="days"/> (1-31; the service's default is 7).</summary>
    public async Task<StatsReport> GetStatsAsync(int? days = null, CancellationToken cancellationToken = default)
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, "api/v1/stats" + Query(("days", days?.ToString(CultureInfo.InvariantCulture))));
        return (await SendAsync<StatsReport>(message, cancellationToken).ConfigureAwait(false)).Body;
    }

    /// <summary>A page of the delivery attempts of the last 30 days, newest first.</summary>
    public async Task<AttemptListResponse> ListVerificationsAsync(AttemptQuery? query = null, CancellationToken cancellationToken = default)
    {
        query ??= new AttemptQuery();
        var path = "api/v1/verifications" + Query(
            ("to", query.To),
            ("status", query.Status is { } status ? JsonNamingPolicy.SnakeCaseLower.ConvertName(status.ToString()) : null),
            ("channel", query.Channel),
            ("country", query.Country),
            ("session_id", query.SessionId),
            ("converted", query.Converted is { } converted ? (converted ? "true" : "false") : null),
            ("from", query.From?.ToString("O", CultureInfo.InvariantCulture)),
            ("to_date", query.ToDate?.ToString("O", CultureInfo.InvariantCulture)),
            ("page_size", query.PageSize?.ToString(CultureInfo.InvariantCulture)),
            ("page_token", query.PageToken));
        using var message = new HttpRequestMessage(HttpMethod.Get, path);
        return (await SendAsync<AttemptListResponse>(message, cancellationToken).ConfigureAwait(false)).Body;
    }

    private static HttpRequestMessage Post<T>(string path, T body) =>
        new(HttpMethod.Post, path) { Content = JsonContent.Create(body, options: OtpClientJson.Options) };

    private static string Query(params (string Name, string? Value)[] parameters)
    {
        var given = parameters.Where(p => p.Value is not null).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}").ToList();
        return given.Count == 0 ? "" : "?" + string.Join('&', given);
    }

    private async Task<(T Body, HttpResponseMessage Response)> SendAsync<T>(HttpRequestMessage message, CancellationToken cancellationToken)
    {
        var response = await http.SendAsync(message, cancellationToken).ConfigureAwait(false);
        try
        {
            if (!response.IsSuccessStatusCode)
            {
                throw await RefusalAsync(response, cancellationToken).ConfigureAwait(false);
            }

            var body = await response.Content.ReadFromJsonAsync<T>(OtpClientJson.Options, cancellationToken).ConfigureAwait(false)
                ?? throw new OtpApiException((int)response.StatusCode, null, null);
            return (body, response);
        }
        finally
        {
            response.Dispose();
        }
    }

    private static async Task<OtpApiException> RefusalAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        ProblemBody? problem = null;
        if (response.Content.Headers.ContentType?.MediaType == "application/problem+json")
        {
            try
            {
                problem = await response.Content.ReadFromJsonAsync<ProblemBody>(OtpClientJson.Options, cancellationToken).ConfigureAwait(false);
            }
            catch (JsonException)
            {
                // not the API's problem body: the exception says so by having none
            }
        }

        return new OtpApiException((int)response.StatusCode, problem, RetryAfterPolicy.WaitOf(response));
    }
}
