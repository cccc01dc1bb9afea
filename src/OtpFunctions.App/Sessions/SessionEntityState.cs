using System.Collections.Immutable;
using OtpFunctions.Core.Sessions;

namespace OtpFunctions.App.Sessions;

/// <summary>
/// A caller's request to the session entity: create the session <paramref name="Issued"/> made, or
/// apply <paramref name="Command"/>. The entity answers in its own state, under <paramref name="RequestId"/>.
/// </summary>
public sealed record SessionRequest(string RequestId, SessionCommand? Command = null, Transition? Issued = null);

/// <summary>
/// What the entity did with one request, kept in its state for the caller to read (an entity cannot
/// answer a client directly): the outcome (null when there was no session) and the dispatches the
/// caller queues. Compact, without the session: a burst of requests on one session keeps every
/// answer, and each caller reads its outcome with the session as it is by then.
/// </summary>
public sealed record SessionReply(string RequestId, DateTimeOffset At, TransitionOutcome? Outcome, bool Changed = false, TimeSpan? RetryAfter = null)
{
    public ImmutableArray<SessionEffect> Dispatches { get; init; } = [];

    public static SessionReply To(SessionRequest request, DateTimeOffset at, Transition? transition) => transition is null
        ? new SessionReply(request.RequestId, at, null)
        : new SessionReply(request.RequestId, at, transition.Outcome, transition.Changed, transition.RetryAfter) { Dispatches = [.. transition.Effects.Where(e => e is DispatchEffect)] };

    /// <summary>The caller's transition: this outcome on <paramref name="session"/>; null when the request found no session.</summary>
    public Transition? On(OtpSession? session) =>
        Outcome is { } outcome && session is not null ? new Transition(session, outcome, Changed, Dispatches, RetryAfter) : null;
}

/// <summary>
/// The session entity's state: the session (null once deleted, or for an entity a request found
/// empty) and the answers to recent requests, newest last.
/// </summary>
public sealed record SessionEntityState(OtpSession? Session, ImmutableArray<SessionReply> Replies)
{
    /// <summary>How long an answer is kept: well past the longest a caller waits for it.</summary>
    public static readonly TimeSpan ReplyLifetime = TimeSpan.FromSeconds(90);

    /// <summary>Answers kept at most (about 150 bytes each): a burst on one session beyond it leaves its earliest callers an unknown outcome.</summary>
    public const int MaxReplies = 128;

    public SessionReply? ReplyTo(string requestId) => Replies.IsDefault ? null : Replies.FirstOrDefault(r => r.RequestId == requestId);

    /// <summary>This state with <paramref name="reply"/> added and answers past their lifetime or the cap dropped.</summary>
    public SessionEntityState WithReply(SessionReply reply) =>
        this with { Replies = [.. (Replies.IsDefault ? [] : Replies).Where(r => r.At > reply.At - ReplyLifetime).TakeLast(MaxReplies - 1), reply] };
}
