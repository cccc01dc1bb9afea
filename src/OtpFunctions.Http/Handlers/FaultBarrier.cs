using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using OtpFunctions.Core.Errors;
using OtpFunctions.Http.Problems;

namespace OtpFunctions.Http.Handlers;

/// <summary>
/// What a handler's exception becomes: a dependency's fault (storage, a provider) is a 503 with
/// <c>Retry-After</c>; a request that could not be read (broken framing) is the client's 400; anything
/// else is a bug, a 500 with a correlation id that the error log names, and no hint to retry. A
/// request the client gave up on is left to the server.
/// </summary>
public sealed partial class FaultBarrier(IFaultClassifier classifier, ILogger<FaultBarrier> logger)
{
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    public Task<IResult> RunAsync(HttpRequest request, Func<CancellationToken, Task<IResult>> work) =>
        RunAsync(request, work, problem => problem);

    /// <param name="answer">How a fault's problem becomes the handler's (typed) result.</param>
    public async Task<TResult> RunAsync<TResult>(HttpRequest request, Func<CancellationToken, Task<TResult>> work, Func<ProblemResult, TResult> answer)
    {
        var ct = request.HttpContext.RequestAborted;
        try
        {
            return await work(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (classifier.Classify(e) == Fault.Client)
        {
            var route = RouteOf(request);
            LogClientFault(logger, request.Method, route, e);
            return answer(new ProblemResult(OtpError.Of(ErrorCatalogue.BadRequest)));
        }
        catch (Exception e) when (classifier.Classify(e) == Fault.Dependency)
        {
            var route = RouteOf(request);
            LogDependencyFault(logger, request.Method, route, e);
            return answer(new ProblemResult(OtpError.Of(ErrorCatalogue.ServiceUnavailable) with { RetryAfter = RetryAfter }));
        }
        catch (Exception e)
        {
            var correlation = Activity.Current?.TraceId.ToString() ?? request.HttpContext.TraceIdentifier;
            var route = RouteOf(request);
            LogBug(logger, request.Method, route, correlation, e);
            return answer(new ProblemResult(OtpError.Of(ErrorCatalogue.InternalError) with { CorrelationId = correlation }));
        }
    }

    /// <summary>The path with its session ids (bearer tokens) left out, whatever shape the route gives them.</summary>
    private static string RouteOf(HttpRequest request) => Core.Security.OpaqueIds.MaskPath(request.Path.Value);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Information, Message = "{Method} {Route}: the request could not be read; answered 400")]
    private static partial void LogClientFault(ILogger logger, string method, string route, Exception exception);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Error, Message = "{Method} {Route} failed on a dependency; answered 503")]
    private static partial void LogDependencyFault(ILogger logger, string method, string route, Exception exception);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Critical, Message = "{Method} {Route} hit a bug; answered 500 with correlation id {CorrelationId}")]
    private static partial void LogBug(ILogger logger, string method, string route, string correlationId, Exception exception);
}
