using System.Net;

namespace OtpFunctions.Client;

/// <summary>Which answers the client waits out and retries itself: a 429 or 503 whose <c>Retry-After</c> is short enough.</summary>
internal static class RetryAfterPolicy
{
    /// <summary>The wait an answer asks for, as seconds or as a date; null when it names none.</summary>
    public static TimeSpan? WaitOf(HttpResponseMessage response, TimeProvider? time = null) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - (time ?? TimeProvider.System).GetUtcNow() is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
        _ => null,
    };

    public static bool ShouldRetry(HttpResponseMessage response, TimeSpan maxWait) =>
        response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable &&
        WaitOf(response) is { } wait && wait <= maxWait;
}
