using Microsoft.Extensions.Logging;
using OtpFunctions.Core.Sessions;

namespace OtpFunctions.Core.UseCases;

/// <summary>Structured log lines of the use cases. They name sessions by <see cref="Security.OpaqueIds.ForLog"/> and recipients masked, never codes, ids or addresses.</summary>
internal static partial class OtpLog
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "OTP session {Session} issued for {Recipient} on {Channels} (app {ApplicationId}, sandbox {Sandbox})")]
    public static partial void Issued(ILogger logger, Security.LoggedId session, string recipient, System.Collections.Immutable.ImmutableArray<Channel> channels, string applicationId, bool sandbox);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "OTP verification of session {Session}: {Outcome}, {AttemptsRemaining} attempts remaining")]
    public static partial void Verified(ILogger logger, Security.LoggedId session, TransitionOutcome outcome, int attemptsRemaining);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "OTP session {Session} resend: {Outcome}, generation {Generation}")]
    public static partial void Resent(ILogger logger, Security.LoggedId session, TransitionOutcome outcome, int generation);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Information, Message = "OTP session {Session} cancel: {Outcome}")]
    public static partial void Canceled(ILogger logger, Security.LoggedId session, TransitionOutcome outcome);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Warning, Message = "OTP limit {Limit} refused {Operation} for app {ApplicationId}; retry after {RetryAfter}")]
    public static partial void Limited(ILogger logger, string limit, string operation, string applicationId, TimeSpan retryAfter);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Warning, Message = "OTP alarm: {Limit} passed {Threshold} failed verifies per {Window} for app {ApplicationId} (guessing across recipients?); nobody is refused for it")]
    public static partial void SharedBudgetExceeded(ILogger logger, string limit, string applicationId, int threshold, TimeSpan window);

    [LoggerMessage(EventId = 1008, Level = LogLevel.Warning, Message = "A guess whose session could not be changed keeps its place in the recipient's budget: giving it back failed too ({Fault})")]
    public static partial void GuessKept(ILogger logger, string fault);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Warning, Message = "Idempotency-Key for app {ApplicationId}: {State}")]
    public static partial void Idempotency(ILogger logger, string applicationId, string state);
}
