using System.Net.Sockets;
using Azure;
using Microsoft.AspNetCore.Http;
using OtpFunctions.Core.Ports;
using OtpFunctions.Http.Handlers;

namespace OtpFunctions.Composition;

/// <summary>
/// Whose fault an exception is, judged by what failed anywhere in it (its inner exceptions, and
/// each of an aggregate's: Azure.Core reports a request that failed every retry as an
/// <see cref="AggregateException"/> of the tries). A request Kestrel could not read is the
/// client's, even where it surfaces as an <see cref="IOException"/>; a storage or provider call that
/// failed, a network or time-out failure, a session write that lost too many races or whose outcome
/// did not come back is a dependency's; anything else is a bug.
/// </summary>
public sealed class DependencyFaults : IFaultClassifier
{
    public Fault Classify(Exception exception)
    {
        var causes = Causes(exception).ToList();
        if (causes.Any(e => e is BadHttpRequestException))
        {
            return Fault.Client;
        }

        return causes.Any(e => e is RequestFailedException or HttpRequestException or HttpIOException or SocketException or TimeoutException
            or TaskCanceledException or SessionConcurrencyException or SessionOutcomeUnknownException)
            ? Fault.Dependency
            : Fault.Bug;
    }

    /// <summary>
    /// A dependency that does not answer (refused connections, time-outs, 5xx), as opposed to one that
    /// answers no (a 4xx other than 408 and 429: bad credentials, a missing account — a misconfiguration).
    /// </summary>
    public bool IsUnreachable(Exception exception) =>
        Classify(exception) == Fault.Dependency &&
        !Causes(exception).Any(e => e is RequestFailedException { Status: >= 400 and < 500 and not 408 and not 429 });

    /// <summary>The exception and everything it wraps, depth first.</summary>
    private static IEnumerable<Exception> Causes(Exception exception)
    {
        yield return exception;
        var inner = exception is AggregateException aggregate ? aggregate.InnerExceptions : (IEnumerable<Exception>)(exception.InnerException is { } one ? [one] : []);
        foreach (var cause in inner.SelectMany(Causes))
        {
            yield return cause;
        }
    }
}
