using Microsoft.Extensions.Diagnostics.HealthChecks;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using OtpFunctions.Core.Applications;
using OtpFunctions.Core.Errors;
using OtpFunctions.Core.UseCases;
using OtpFunctions.Core.Workers;
using OtpFunctions.Http.Json;
using OtpFunctions.Http.Problems;
using OtpFunctions.Http.Responses;

namespace OtpFunctions.Http.Handlers;

/// <summary>
/// The API's handlers, from <see cref="HttpRequest"/> to <see cref="IResult"/>, shared by the
/// self-host and the Functions app. Bad input is a 4xx naming the problem; a fault (storage
/// down) is a 503 with Retry-After; nothing is ever a 500.
/// </summary>
public sealed class OtpHandlers(OtpService service, OtpServiceOptions options, ApiKeyAuthenticator authenticator, MessageComposer composer, HealthCheckService health, FaultBarrier faults, TimeProvider time)
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    public Task<IResult> SendAsync(HttpRequest request) => WithBodyAsync(request, RequestBodies.Send, async (caller, send, ct) =>
    {
        var idempotencyKey = request.Headers.TryGetValue(IdempotencyKeyHeader, out var key) ? key.ToString() : null;
        var result = await service.SendAsync(caller, send, idempotencyKey, ct).ConfigureAwait(false);
        return result.IsSuccess ? Json(SendResponse.From(result.Value, SmsUnits(result.Value.Session)), StatusCodes.Status202Accepted) : new ProblemResult(result.Error);
    });

    public Task<IResult> VerifyAsync(HttpRequest request) => WithBodyAsync(request, RequestBodies.Verify, async (caller, verify, ct) =>
    {
        // Wall-clock time on purpose (not the injected clock): the padding is for a real observer.
        var started = TimeProvider.System.GetTimestamp();
        var result = await service.VerifyAsync(caller, verify with { CallerIp = request.HttpContext.Connection.RemoteIpAddress?.ToString() }, ct).ConfigureAwait(false);
        if (verify.SessionId is null && options.VerifyByRecipientMinimumDuration - TimeProvider.System.GetElapsedTime(started) is { Ticks: > 0 } left)
        {
            await Task.Delay(left, ct).ConfigureAwait(false);
        }

        return result.IsSuccess ? Json(VerifyResponse.From(result.Value.Session)) : new ProblemResult(result.Error);
    });

    public Task<IResult> ResendAsync(HttpRequest request) => WithBodyAsync(request, RequestBodies.Resend, async (caller, resend, ct) =>
    {
        var result = await service.ResendAsync(caller, resend.SessionId!, resend.Channel, ct).ConfigureAwait(false);
        return result.IsSuccess ? Json(SendResponse.From(result.Value, SmsUnits(result.Value.Session), "OTP resent successfully")) : new ProblemResult(result.Error);
    });

    public Task<IResult> GetAsync(HttpRequest request, string id) => GuardAsync(request, async (caller, ct) =>
    {
        var result = await service.GetAsync(caller, id, ct).ConfigureAwait(false);
        return result.IsSuccess ? Json(StatusResponse.From(result.Value)) : new ProblemResult(result.Error);
    });

    public Task<IResult> CancelAsync(HttpRequest request, string id) => GuardAsync(request, async (caller, ct) =>
    {
        var result = await service.CancelAsync(caller, id, ct).ConfigureAwait(false);
        return result.IsSuccess ? Json(StatusResponse.From(result.Value)) : new ProblemResult(result.Error);
    });

    /// <summary>Liveness with the registered health checks: storage, and the queue workers where the host runs them.</summary>
    public async Task<IResult> HealthAsync(HttpRequest request)
    {
        var report = await health.CheckHealthAsync(request.HttpContext.RequestAborted).ConfigureAwait(false);
        var storage = report.Entries.TryGetValue(HealthCheckNames.Storage, out var probe) && probe.Status == HealthStatus.Healthy;
        var workers = report.Entries.TryGetValue(HealthCheckNames.Workers, out var queues) ? queues.Data.ToDictionary(w => w.Key, w => $"{w.Value}") : null;
        var healthy = report.Status == HealthStatus.Healthy;
        return Json(new HealthResponse(healthy ? "healthy" : "degraded", storage, workers, time.GetUtcNow()),
            healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }

    /// <summary>Authenticates, reads and parses the JSON body (each problem a 4xx naming it), then handles it.</summary>
    private Task<IResult> WithBodyAsync<T>(HttpRequest request, Func<JsonElement, ValidationErrors, T> parse, Func<ApplicationAccess, T, CancellationToken, Task<IResult>> handle) =>
        GuardAsync(request, async (caller, ct) =>
        {
            var (body, problem) = await RequestReader.ReadJsonAsync(request, ct).ConfigureAwait(false);
            if (problem is not null)
            {
                return problem;
            }

            using (body)
            {
                var errors = new ValidationErrors();
                var parsed = parse(body!.RootElement, errors);
                return errors.IsEmpty ? await handle(caller, parsed, ct).ConfigureAwait(false) : new ProblemResult(OtpError.Validation(errors));
            }
        });

    private int? SmsUnits(Core.Sessions.OtpSession session) =>
        session.Plan.Contains(Core.Sessions.Channel.Sms) ? composer.SmsCost(session).Segments : null;

    private static IResult Json<T>(T body, int status = StatusCodes.Status200OK) => Results.Json(body, ApiJson.Options, statusCode: status);

    /// <summary>Authenticates, then runs the handler behind the fault barrier (503 for a dependency, 500 for a bug).</summary>
    private Task<IResult> GuardAsync(HttpRequest request, Func<ApplicationAccess, CancellationToken, Task<IResult>> handle) =>
        faults.RunAsync(request, async ct =>
        {
            var caller = await authenticator.AuthenticateAsync(ApiKeyReader.Read(request), ct).ConfigureAwait(false);
            return caller is null
                ? ProblemResult.Of(ErrorCatalogue.InvalidApiKey, "Send a valid key in X-API-Key or Authorization: Bearer.")
                : await handle(caller, ct).ConfigureAwait(false);
        });
}
