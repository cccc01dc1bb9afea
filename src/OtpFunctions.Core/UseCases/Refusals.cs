using OtpFunctions.Core.Errors;
using OtpFunctions.Core.Sessions;

namespace OtpFunctions.Core.UseCases;

/// <summary>What a session's refusal tells the client: one error per refusing outcome.</summary>
public static class Refusals
{
    public static OtpError Of(Transition transition, DateTimeOffset now)
    {
        var session = transition.Session;
        return transition.Outcome switch
        {
            TransitionOutcome.AlreadyApproved => OtpError.Of(ErrorCatalogue.AlreadyVerified),
            TransitionOutcome.Locked => OtpError.Of(ErrorCatalogue.SessionLocked),
            TransitionOutcome.Expired => OtpError.Of(ErrorCatalogue.SessionExpired),
            TransitionOutcome.Canceled => OtpError.Of(ErrorCatalogue.SessionCanceled),
            TransitionOutcome.ResendLimitReached => OtpError.Of(ErrorCatalogue.ResendLimitReached,
                $"This session allows {session.MaxResends} resends; start a new verification.") with { RetryAfter = UntilExpiry(session, now) },
            TransitionOutcome.ResendCooldown => OtpError.Of(ErrorCatalogue.ResendCooldown) with { RetryAfter = transition.RetryAfter },
            TransitionOutcome.ChannelNotAllowed => OtpError.Validation("channel", "The session has no recipient this channel can reach."),
            _ => throw new InvalidOperationException($"Outcome {transition.Outcome} is not a refusal."),
        };
    }

    private static TimeSpan UntilExpiry(OtpSession session, DateTimeOffset now)
    {
        var wait = session.ExpiresAt - now;
        return wait > TimeSpan.FromSeconds(1) ? wait : TimeSpan.FromSeconds(1);
    }
}
