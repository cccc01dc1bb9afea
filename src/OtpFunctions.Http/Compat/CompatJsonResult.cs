using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace OtpFunctions.Http.Compat;

/// <summary>A vendor's JSON answer, written as given (the vendors' own field names), with <c>Retry-After</c> when the error says when to come back.</summary>
internal sealed class CompatJsonResult(object body, int status, TimeSpan? retryAfter = null) : IResult
{
    private static readonly JsonSerializerOptions AsWritten = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = status;
        response.ContentType = "application/json";
        if (retryAfter is { } wait)
        {
            response.Headers.RetryAfter = Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        await JsonSerializer.SerializeAsync(response.Body, body, body.GetType(), AsWritten, httpContext.RequestAborted).ConfigureAwait(false);
    }
}
