using OtpFunctions.Core.Sessions;

namespace OtpFunctions.Core.Ports;

/// <summary>
/// Where sessions live. <see cref="ApplyAsync"/> applies one <see cref="SessionMachine"/>
/// transition to one session atomically: concurrent commands on one session behave as if run
/// one after another, so a code is accepted once and attempts are never lost.
/// </summary>
public interface ISessionRuntime
{
    /// <summary>Stores a new session and makes it the latest for its recipient.</summary>
    Task CreateAsync(OtpSession session, CancellationToken cancellationToken);

    Task<OtpSession?> GetAsync(string sessionId, CancellationToken cancellationToken);

    /// <summary>The transition applied and stored, or null when there is no such session.</summary>
    Task<Transition?> ApplyAsync(string sessionId, SessionCommand command, CancellationToken cancellationToken);

    /// <summary>The id of the application's most recent session for a recipient hash, if any.</summary>
    Task<string?> FindLatestAsync(string applicationId, string recipientHash, CancellationToken cancellationToken);

    /// <summary>Removes a finished session after its retention; removing a missing one is not an error.</summary>
    Task DeleteAsync(string sessionId, CancellationToken cancellationToken);
}
