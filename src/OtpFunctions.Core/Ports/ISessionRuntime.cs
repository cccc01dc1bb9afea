using System.Collections.Immutable;
using OtpFunctions.Core.Sessions;

namespace OtpFunctions.Core.Ports;

/// <summary>
/// Where sessions live. <see cref="ApplyAsync"/> applies one <see cref="SessionMachine"/>
/// transition to one session atomically: concurrent commands on one session behave as if run
/// one after another, so a code is accepted once and attempts are never lost.
/// </summary>
public interface ISessionRuntime
{
    /// <summary>
    /// True when the runtime schedules the session's timers itself (the Durable entity's
    /// self-signals); the <c>otp-timers</c> queue carries them otherwise. One owner, never both.
    /// </summary>
    bool OwnsTimers { get; }

    /// <summary>
    /// Stores the session an Issue transition made; a runtime that owns timers schedules the
    /// transition's timer effects. Returns the transition
    /// as stored (with its <see cref="Transition.Outbox"/> where the runtime keeps one).
    /// </summary>
    Task<Transition> CreateAsync(Transition issued, CancellationToken cancellationToken);

    Task<OtpSession?> GetAsync(string sessionId, CancellationToken cancellationToken);

    /// <summary>
    /// The transition applied and stored, or null when there is no such session. Throws
    /// <see cref="SessionOutcomeUnknownException"/> when the command was handed over but its answer
    /// did not come back: it may still be applied.
    /// </summary>
    Task<Transition?> ApplyAsync(string sessionId, SessionCommand command, CancellationToken cancellationToken);

    /// <summary>
    /// <see cref="ApplyAsync(string, SessionCommand, CancellationToken)"/>, starting from a copy
    /// this runtime returned moments ago: a runtime that writes by version may write it by its
    /// <see cref="OtpSession.Version"/> without reading it again (a stale copy costs a retry, never a
    /// wrong result; an answer that writes nothing is the answer as of that read).
    /// </summary>
    Task<Transition?> ApplyAsync(OtpSession lastRead, SessionCommand command, CancellationToken cancellationToken) =>
        ApplyAsync(lastRead.Id, command, cancellationToken);

    /// <summary>The effects of an outbox entry not yet published, or null when it is gone (published, or never written).</summary>
    Task<ImmutableArray<SessionEffect>?> ReadOutboxAsync(string sessionId, string outbox, CancellationToken cancellationToken);

    /// <summary>Marks an outbox entry published; clearing a missing one is not an error.</summary>
    Task ClearOutboxAsync(string sessionId, string outbox, CancellationToken cancellationToken);

    /// <summary>Removes a finished session after its retention; removing a missing one is not an error.</summary>
    Task DeleteAsync(string sessionId, CancellationToken cancellationToken);
}
