using OtpFunctions.Core.Applications;
using OtpFunctions.Core.Errors;
using OtpFunctions.Core.Limits;
using OtpFunctions.Core.Ports;
using OtpFunctions.Core.Security;
using OtpFunctions.Core.Sessions;

namespace OtpFunctions.Core.UseCases;

/// <summary>How a use case finds a session: only ever one of the calling application's realm.</summary>
public sealed class SessionFinder(ISessionRuntime sessions, TimeProvider time)
{
    /// <summary>A session of the calling application; another application's session does not exist for it.</summary>
    public async Task<OtpResult<OtpSession>> LoadAsync(ApplicationAccess caller, string sessionId, CancellationToken cancellationToken)
    {
        if (!OpaqueIds.IsWellFormed(sessionId))
        {
            return OtpError.Of(ErrorCatalogue.SessionNotFound);
        }

        var session = await sessions.GetAsync(sessionId, cancellationToken).ConfigureAwait(false);
        return session is not null && caller.Owns(session)
            ? session
            : OtpError.Of(ErrorCatalogue.SessionNotFound);
    }

    /// <summary>
    /// The latest session of a recipient (as its ledger names it), if it is still pending, or
    /// approved so recently that its approving code typed again answers as the approval did.
    /// </summary>
    public async Task<OtpSession?> FindLatestAsync(ApplicationAccess caller, RecipientLedger recipient, CancellationToken cancellationToken)
    {
        var latestId = recipient.LatestSessionId;
        var latest = latestId is null ? null : await sessions.GetAsync(latestId, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        return latest is not null && caller.Owns(latest) && (latest.StatusAt(now) == SessionStatus.Pending || latest.ReplaysApprovalAt(now))
            ? latest
            : null;
    }
}
