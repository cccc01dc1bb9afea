using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using OtpFunctions.Core.Errors;
using OtpFunctions.Http.Json;

namespace OtpFunctions.Http.Problems;

/// <summary>
/// An RFC 9457 problem (<c>application/problem+json</c>) with the stable <c>code</c>, a
/// <c>type</c> that resolves to the errors page's entry for it, field errors for validation,
/// <c>attempts_remaining</c> for wrong codes, <c>Retry-After</c> whenever the error says when to
/// come back (every 429 does), and for a full limit its name (<c>limit</c>) with the
/// <c>RateLimit-Policy</c> and <c>RateLimit</c> headers.
/// </summary>
public sealed class ProblemResult(OtpError error) : IResult
{
    public const string ContentType = "application/problem+json";

    public OtpError Error { get; } = error;

    public static ProblemResult Of(ErrorCode code, string? detail = null) => new(OtpError.Of(code, detail));

    /// <summary>A use case's result as an answer: <paramref name="ok"/> of its value, or its error as a problem.</summary>
    public static Microsoft.AspNetCore.Http.HttpResults.Results<TOk, ProblemResult> Answer<T, TOk>(OtpResult<T> result, Func<T, TOk> ok)
        where TOk : IResult =>
        result.IsSuccess ? ok(result.Value!) : new ProblemResult(result.Error!);

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = Error.Code.Status;
        response.ContentType = ContentType;
        if (Error.RetryAfter is { } wait)
        {
            response.Headers.RetryAfter = Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        if (Error is { LimitName: { } limit, LimitRule: { } rule })
        {
            // The IETF draft's fields (draft-ietf-httpapi-ratelimit-headers): the policy that is full, and nothing left of it until Retry-After.
            response.Headers["RateLimit-Policy"] = string.Create(CultureInfo.InvariantCulture, $"\"{limit}\";q={rule.Limit};w={(long)rule.Window.TotalSeconds}");
            response.Headers["RateLimit"] = string.Create(CultureInfo.InvariantCulture,
                $"\"{limit}\";r=0;t={Math.Max(1, (long)Math.Ceiling((Error.RetryAfter ?? TimeSpan.Zero).TotalSeconds))}");
        }

        var request = httpContext.Request;
        var body = new ProblemBody(
            Type: $"{request.Scheme}://{request.Host}{request.PathBase}{ErrorCatalogue.PagePath}#{Error.Code.Code}",
            Title: Error.Code.Title,
            Status: Error.Code.Status,
            Detail: Error.Detail,
            Code: Error.Code.Code,
            Instance: request.Path.Value ?? "/",
            Errors: Error.Errors,
            AttemptsRemaining: Error.AttemptsRemaining,
            Limit: Error.LimitName,
            Reason: Error.Reason,
            CorrelationId: Error.CorrelationId);
        await JsonSerializer.SerializeAsync(response.Body, body, ApiJson.Options, httpContext.RequestAborted).ConfigureAwait(false);
    }
}
