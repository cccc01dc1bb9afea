using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OtpFunctions.Core.Applications;
using OtpFunctions.Core.Attempts;
using OtpFunctions.Core.Errors;
using OtpFunctions.Core.Sessions;
using OtpFunctions.Core.UseCases;
using OtpFunctions.Core.Workers;
using OtpFunctions.Http.Json;
using OtpFunctions.Http.Problems;
using OtpFunctions.Http.Responses;

namespace OtpFunctions.Http.Handlers;

/// <summary>
/// The API's handlers, from <see cref="HttpRequest"/> to a typed result, shared by the self-host
/// and the Functions app: authenticate, read the body into its request type, run the use case,
/// answer with its response or a problem. A fault is left to the <see cref="FaultBarrier"/>.
/// </summary>
public sealed class OtpHandlers(
    SendHandler send,
    VerifyCaller verify,
    ResendHandler resend,
    CancelHandler cancel,
    StatusHandler status,
    UsageStats stats,
    AttemptQueries attempts,
    ApiKeyAuthenticator authenticator,
    MessageComposer composer,
    HealthCheckService health,
    FaultBarrier faults,
    TimeProvider time)
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    /// <summary>Set on a verify's 200 that answers the approving code typed again.</summary>
    public const string ReplayedHeader = "Otp-Replayed";

    public Task<Results<Accepted<SendResponse>, ProblemResult>> SendAsync(HttpRequest request) =>
        WithBodyAsync<SendRequest, Accepted<SendResponse>>(request, async (caller, body, ct) =>
        {
            var idempotencyKey = request.Headers.TryGetValue(IdempotencyKeyHeader, out var key) ? key.ToString() : null;
            var result = await send.HandleAsync(caller, body, idempotencyKey, ct).ConfigureAwait(false);
            return ProblemResult.Answer(result, r => TypedResults.Accepted((string?)null, SendResponse.From(r, SmsUnits(r.Session))));
        });

    public Task<Results<Ok<VerifyResponse>, ProblemResult>> VerifyAsync(HttpRequest request) =>
        WithBodyAsync<VerifyRequest, Ok<VerifyResponse>>(request, async (caller, body, ct) =>
        {
            var result = await verify.VerifyAsync(request, caller, body, ct).ConfigureAwait(false);
            if (result.Value?.Replayed == true)
            {
                // The body is the first answer's; the header lets a client that cares tell a repeat.
                request.HttpContext.Response.Headers[ReplayedHeader] = "true";
            }

            return ProblemResult.Answer(result, r => TypedResults.Ok(VerifyResponse.From(r.Session)));
        });

    public Task<Results<Ok<SendResponse>, ProblemResult>> ResendAsync(HttpRequest request) =>
        WithBodyAsync<ResendRequest, Ok<SendResponse>>(request, async (caller, body, ct) =>
        {
            var result = await resend.HandleAsync(caller, body, ct).ConfigureAwait(false);
            return ProblemResult.Answer(result, r => TypedResults.Ok(SendResponse.From(r, SmsUnits(r.Session), "OTP resent successfully")));
        });

    public Task<Results<Ok<StatusResponse>, ProblemResult>> GetAsync(HttpRequest request, string id) =>
        NotASession(request, id) is { } typo ? Task.FromResult<Results<Ok<StatusResponse>, ProblemResult>>(typo) :
        GuardAsync<Ok<StatusResponse>>(request, async (caller, ct) =>
            ProblemResult.Answer(await status.HandleAsync(caller, id, ct).ConfigureAwait(false), s => TypedResults.Ok(StatusResponse.From(s))));

    public Task<Results<Ok<StatusResponse>, ProblemResult>> CancelAsync(HttpRequest request, string id) =>
        NotASession(request, id) is { } typo ? Task.FromResult<Results<Ok<StatusResponse>, ProblemResult>>(typo) :
        GuardAsync<Ok<StatusResponse>>(request, async (caller, ct) =>
            ProblemResult.Answer(await cancel.HandleAsync(caller, id, ct).ConfigureAwait(false), s => TypedResults.Ok(StatusResponse.From(s))));

    /// <summary>
    /// A path whose id cannot be a session's is a wrong route, not a missing session: the POST
    /// operations' names (<c>GET /api/v1/otp/send</c>) answer 405 naming POST, anything else 404
    /// naming the route. An id's shape is public, so this tells nobody which sessions exist.
    /// </summary>
    private static ProblemResult? NotASession(HttpRequest request, string id)
    {
        if (Core.Security.OpaqueIds.IsWellFormed(id))
        {
            return null;
        }

        if (id is "send" or "verify" or "resend")
        {
            request.HttpContext.Response.Headers.Allow = HttpMethods.Post;
            return ProblemResult.Of(ErrorCatalogue.MethodNotAllowed, $"{request.Method} {request.Path} is not a route: use POST {request.Path}.");
        }

        // Not echoed: a mangled id may be most of a session's bearer token.
        return ProblemResult.Of(ErrorCatalogue.NotFound, $"No such route: a session id is 22 characters (letters, digits, '-', '_'). {ErrorCatalogue.NotFound.Next}");
    }

    /// <summary>The calling application's usage (its key's realm): per day, channel and country, over <c>?days=</c> (1-31, default 7).</summary>
    public Task<Results<Ok<StatsReport>, ProblemResult>> StatsAsync(HttpRequest request) =>
        GuardAsync<Ok<StatsReport>>(request, async (caller, ct) =>
        {
            var days = 7;
            if (request.Query.TryGetValue("days", out var given) &&
                !(int.TryParse(given, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out days) && days is >= 1 and <= UsageStats.MaxDays))
            {
                return new ProblemResult(OtpError.Validation("days", $"Must be a whole number of days, 1-{UsageStats.MaxDays}."));
            }

            return TypedResults.Ok(await stats.ReadAsync(caller.ApplicationId, caller.Sandbox, days, ct).ConfigureAwait(false));
        });

    /// <summary>The calling application's delivery attempts (its key's realm), newest first, filtered and paged as <see cref="AttemptQueryString"/> reads.</summary>
    public Task<Results<Ok<AttemptListResponse>, ProblemResult>> ListVerificationsAsync(HttpRequest request) =>
        GuardAsync<Ok<AttemptListResponse>>(request, async (caller, ct) =>
        {
            var query = AttemptQueryString.Read(request.Query);
            if (!query.IsSuccess)
            {
                return new ProblemResult(query.Error);
            }

            var (criteria, pageSize, after) = query.Value;
            return ProblemResult.Answer(await attempts.ListAsync(caller, criteria, pageSize, after, ct).ConfigureAwait(false),
                page => TypedResults.Ok(new AttemptListResponse([.. page.Attempts.Select(AttemptResponse.From)], page.Next)));
        });

    /// <summary>Liveness with the registered health checks: storage, and the queue workers where the host runs them.</summary>
    public async Task<JsonHttpResult<HealthResponse>> HealthAsync(HttpRequest request)
    {
        var report = await health.CheckHealthAsync(request.HttpContext.RequestAborted).ConfigureAwait(false);
        var storage = report.Entries.TryGetValue(HealthCheckNames.Storage, out var probe) && probe.Status == HealthStatus.Healthy;
        var workers = report.Entries.TryGetValue(HealthCheckNames.Workers, out var queues) ? queues.Data.ToDictionary(w => w.Key, w => $"{w.Value}") : null;
        var healthy = report.Status == HealthStatus.Healthy;
        return TypedResults.Json(new HealthResponse(healthy ? "healthy" : "degraded", storage, workers, time.GetUtcNow()), ApiJson.Options,
            statusCode: healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }

    /// <summary>Authenticates, reads the JSON body into its request type (each problem a 4xx naming it), then handles it.</summary>
    private Task<Results<TOk, ProblemResult>> WithBodyAsync<TRequest, TOk>(HttpRequest request, Func<ApplicationAccess, TRequest, CancellationToken, Task<Results<TOk, ProblemResult>>> handle)
        where TRequest : class
        where TOk : IResult =>
        GuardAsync<TOk>(request, async (caller, ct) =>
        {
            var (body, problem) = await RequestReader.ReadBodyAsync<TRequest>(request, ct).ConfigureAwait(false);
            return problem ?? await handle(caller, body!, ct).ConfigureAwait(false);
        });

    /// <summary>Authenticates, then runs the handler behind the fault barrier (503 for a dependency, 500 for a bug).</summary>
    private Task<Results<TOk, ProblemResult>> GuardAsync<TOk>(HttpRequest request, Func<ApplicationAccess, CancellationToken, Task<Results<TOk, ProblemResult>>> handle)
        where TOk : IResult =>
        faults.RunAsync<Results<TOk, ProblemResult>>(request, async ct =>
        {
            var caller = await authenticator.AuthenticateAsync(ApiKeyReader.Read(request), ct).ConfigureAwait(false);
            return caller is null
                ? ProblemResult.Of(ErrorCatalogue.InvalidApiKey, "Send a valid key in X-API-Key or Authorization: Bearer.")
                : await handle(caller, ct).ConfigureAwait(false);
        }, problem => problem);

    private int? SmsUnits(OtpSession session) =>
        session.Plan.Contains(Channel.Sms) ? composer.SmsCost(session).Segments : null;
}
