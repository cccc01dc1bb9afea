using System.Net.Sockets;
using Azure;
using OtpFunctions.Core.Ports;
using OtpFunctions.Http.Handlers;

namespace OtpFunctions.Composition;

/// <summary>
/// Storage and provider faults: any Azure SDK failure (storage down, throttled, refusing the
/// credential), network and timeout failures, and a session write that lost too many races or
/// whose outcome did not come back. Everything else is a bug.
/// </summary>
public sealed class DependencyFaults : IFaultClassifier
{
    public bool IsDependencyFault(Exception exception) => exception is
        RequestFailedException or HttpRequestException or TimeoutException or TaskCanceledException or
        SocketException or IOException or SessionConcurrencyException or SessionOutcomeUnknownException;
}
