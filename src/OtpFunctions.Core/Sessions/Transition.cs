using System.Collections.Immutable;

namespace OtpFunctions.Core.Sessions;

/// <summary>What a command did to a session.</summary>
public enum TransitionOutcome
{
    /// <summary>The command took effect (resent, canceled, delivery recorded, channel advanced, expired).</summary>
    Applied,

    /// <summary>Nothing to do: a stale timer, a duplicate receipt, a repeated cancel.</summary>
    Unchanged,

    Approved,

    /// <summary>The code that approved the session, typed again: no guess, nothing changes.</summary>
    ApprovedAgain,

    WrongCode,

    /// <summary>This wrong code used the last attempt; the session is now locked.</summary>
    LockedNow,

    Locked,

    /// <summary>A code other than the approving one against an approved session (a guess that cannot succeed).</summary>
    AlreadyApproved,
    Expired,
    Canceled,
    ResendLimitReached,
    ResendCooldown,
    ChannelNotAllowed,
}

/// <summary>The session after a command, what happened, and the work to do once it is stored.</summary>
public sealed record Transition(
    OtpSession Session,
    TransitionOutcome Outcome,
    bool Changed,
    ImmutableArray<SessionEffect> Effects,
    TimeSpan? RetryAfter = null)
{
    /// <summary>
    /// The outbox entry the runtime stored the effects in, atomically with the session, until
    /// they are published; null where the runtime keeps no outbox.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string? Outbox { get; init; }

    /// <summary>
    /// True when the runtime stored what it takes to publish the effects without this instance (an
    /// outbox with its relay, or a queued dispatch check that dispatches its step again): publishing
    /// may then wait until after the response, since a crash only delays it.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool Relayed { get; init; }

    public static Transition Unchanged(OtpSession session, TransitionOutcome outcome = TransitionOutcome.Unchanged, TimeSpan? retryAfter = null) =>
        new(session, outcome, Changed: false, [], retryAfter);
}
