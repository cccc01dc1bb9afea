using System.Collections.Immutable;
using OtpFunctions.Core.Ports;
using OtpFunctions.Core.Sessions;

namespace OtpFunctions.App.Sessions;

/// <summary>
/// The session runtime on Durable entities. A change is a one-way signal to the session's entity,
/// which applies it and keeps its answer in its state under the request's id; the caller reads the
/// entity's state until the answer is there. One trip through the task hub's queues, where a
/// two-way call needs an orchestration and three (measured in docs/deployment.md, "Choosing a session runtime").
/// A read is a plain entity state read. Recipient ledgers (latest session, windows) stay in Tables:
/// entities cannot be queried by recipient.
/// </summary>
/// <remarks>
/// The entity owns the session's timers (expiry, cascade fallback, dispatch checks, cleanup) and
/// publishes its client events itself, through an orchestration it starts in the same step as it
/// stores the change. Answers carry only the dispatches, which the caller queues at once; if the
/// caller dies first, the dispatch check the entity scheduled with the change sends them.
/// </remarks>
public sealed class DurableEntitySessionRuntime(ISessionEntities entities) : ISessionRuntime
{
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan FirstPoll = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan LongestPoll = TimeSpan.FromMilliseconds(200);

    /// <summary>How long a call waits for its answer; tests shorten it.</summary>
    public TimeSpan Timeout { get; init; } = CallTimeout;

    public bool OwnsTimers => true;

    public async Task<Transition> CreateAsync(Transition issued, CancellationToken cancellationToken)
    {
        var stored = await CallAsync(issued.Session.Id, OtpSessionEntity.CreateOperation, new SessionRequest(NewRequestId(), Issued: issued), cancellationToken).ConfigureAwait(false);
        return stored ?? throw new InvalidOperationException($"The entity of session {issued.Session.Id[..4]}… answered its create with no session.");
    }

    public async Task<OtpSession?> GetAsync(string sessionId, CancellationToken cancellationToken) =>
        (await entities.ReadAsync(sessionId, cancellationToken).ConfigureAwait(false))?.Session;

    public async Task<Transition?> ApplyAsync(string sessionId, SessionCommand command, CancellationToken cancellationToken) =>
        await GetAsync(sessionId, cancellationToken).ConfigureAwait(false) is { } current
            ? await ApplyAsync(current, command, cancellationToken).ConfigureAwait(false)
            : null; // no session: no signal, which would make an empty entity

    public Task<Transition?> ApplyAsync(OtpSession lastRead, SessionCommand command, CancellationToken cancellationToken) =>
        CallAsync(lastRead.Id, OtpSessionEntity.ApplyOperation, new SessionRequest(NewRequestId(), Command: command), cancellationToken);

    /// <summary>No outbox: the entity stores its timers and starts its event publishing with its state.</summary>
    public Task<ImmutableArray<SessionEffect>?> ReadOutboxAsync(string sessionId, string outbox, CancellationToken cancellationToken) =>
        Task.FromResult<ImmutableArray<SessionEffect>?>(null);

    public Task ClearOutboxAsync(string sessionId, string outbox, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Signals the deletion and returns once the entity is gone.</summary>
    public async Task DeleteAsync(string sessionId, CancellationToken cancellationToken)
    {
        await entities.SignalAsync(sessionId, OtpSessionEntity.DeleteOperation, null, cancellationToken).ConfigureAwait(false);
        await WaitAsync(OtpSessionEntity.DeleteOperation, async ct => await entities.ReadAsync(sessionId, ct).ConfigureAwait(false) is null ? new Answer(null) : null, cancellationToken).ConfigureAwait(false);
    }

    private async Task<Transition?> CallAsync(string sessionId, string operation, SessionRequest request, CancellationToken cancellationToken)
    {
        await entities.SignalAsync(sessionId, operation, request, cancellationToken).ConfigureAwait(false);
        return (await WaitAsync(operation, async ct => await entities.ReadAsync(sessionId, ct).ConfigureAwait(false) is { } state && state.ReplyTo(request.RequestId) is { } reply
            ? new Answer(reply.On(state.Session))
            : null, cancellationToken).ConfigureAwait(false)).Transition;
    }

    /// <summary>What a read found: the caller's transition (null: there was no session).</summary>
    private sealed record Answer(Transition? Transition);

    /// <summary>Reads until <paramref name="answered"/> finds the answer (not null), at growing intervals, within <see cref="Timeout"/>.</summary>
    private async Task<Answer> WaitAsync(string operation, Func<CancellationToken, Task<Answer?>> answered, CancellationToken cancellationToken)
    {
        // From here on the request is on its way and will be applied whatever this caller does, so
        // a wait that ends early (timeout or the caller gone) has an unknown outcome, never a
        // failure: a verify must stay counted.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            for (var wait = FirstPoll; ; wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 3 / 2, LongestPoll.Ticks)))
            {
                await Task.Delay(wait, timeout.Token).ConfigureAwait(false);
                if (await answered(timeout.Token).ConfigureAwait(false) is { } answer)
                {
                    return answer;
                }
            }
        }
        catch (OperationCanceledException e)
        {
            throw new SessionOutcomeUnknownException($"Session {operation} did not answer within {Timeout.TotalSeconds:0} s.", e);
        }
        catch (Exception e)
        {
            // A read that failed (a storage blip) leaves the request as unknown as a timeout does.
            throw new SessionOutcomeUnknownException($"Session {operation}: its answer could not be read.", e);
        }
    }

    private static string NewRequestId() => Guid.NewGuid().ToString("N");
}
