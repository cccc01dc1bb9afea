using System.Collections.Immutable;
using OtpFunctions.Core.Ports;
using OtpFunctions.Core.Sessions;

namespace OtpFunctions.Core.Attempts;

/// <summary>
/// A session runtime that shows the attempts record every session it stores when the change can
/// touch a message (queued, claimed, sent, delivered, failed, converted): every such change goes
/// through a runtime, whichever one, so this is the one place attempts are recorded. A wrong code,
/// a cancel or an expiry changes no message, and so costs the record no write.
/// </summary>
public sealed class AttemptRecordingRuntime(ISessionRuntime inner, AttemptLog attempts) : ISessionRuntime
{
    public bool OwnsTimers => inner.OwnsTimers;

    public async Task<Transition> CreateAsync(Transition issued, CancellationToken cancellationToken)
    {
        var stored = await inner.CreateAsync(issued, cancellationToken).ConfigureAwait(false);
        attempts.Record(stored.Session);
        return stored;
    }

    public Task<OtpSession?> GetAsync(string sessionId, CancellationToken cancellationToken) => inner.GetAsync(sessionId, cancellationToken);

    public async Task<Transition?> ApplyAsync(string sessionId, SessionCommand command, CancellationToken cancellationToken) =>
        Recorded(command, await inner.ApplyAsync(sessionId, command, cancellationToken).ConfigureAwait(false));

    public async Task<Transition?> ApplyAsync(OtpSession lastRead, SessionCommand command, CancellationToken cancellationToken) =>
        Recorded(command, await inner.ApplyAsync(lastRead, command, cancellationToken).ConfigureAwait(false));

    public Task<ImmutableArray<SessionEffect>?> ReadOutboxAsync(string sessionId, string outbox, CancellationToken cancellationToken) =>
        inner.ReadOutboxAsync(sessionId, outbox, cancellationToken);

    public Task ClearOutboxAsync(string sessionId, string outbox, CancellationToken cancellationToken) =>
        inner.ClearOutboxAsync(sessionId, outbox, cancellationToken);

    public Task DeleteAsync(string sessionId, CancellationToken cancellationToken) => inner.DeleteAsync(sessionId, cancellationToken);

    private Transition? Recorded(SessionCommand command, Transition? transition)
    {
        var touchesMessages = command switch
        {
            VerifyCommand => transition?.Outcome == TransitionOutcome.Approved,
            CancelCommand or ExpireCommand => false,
            _ => true,
        };
        if (transition is { Changed: true } && touchesMessages)
        {
            attempts.Record(transition.Session);
        }

        return transition;
    }
}
