using Microsoft.Extensions.Logging;
using OtpFunctions.Core.Applications;
using OtpFunctions.Core.Errors;
using OtpFunctions.Core.Security;
using OtpFunctions.Core.Sessions;

namespace OtpFunctions.Core.UseCases;

/// <summary>Cancel: a pending session ends canceled; cancelling it again is the same success; a finished one is a conflict.</summary>
public sealed class CancelHandler(SessionFinder finder, SessionChanges changes, TimeProvider time, ILogger<CancelHandler> logger)
{
    public async Task<OtpResult<OtpSession>> HandleAsync(ApplicationAccess caller, string sessionId, CancellationToken cancellationToken)
    {
        var found = await finder.LoadAsync(caller, sessionId, cancellationToken).ConfigureAwait(false);
        if (!found.IsSuccess)
        {
            return found.Error;
        }

        var canceled = await changes.ApplyAsync(caller, "cancel", [], found.Value, new CancelCommand(), _ => false, cancellationToken).ConfigureAwait(false);
        if (!canceled.IsSuccess)
        {
            return canceled.Error;
        }

        var transition = canceled.Value;
        OtpLog.Canceled(logger, new LoggedId(sessionId), transition.Outcome);
        return transition.Outcome is TransitionOutcome.Applied or TransitionOutcome.Unchanged
            ? transition.Session
            : Refusals.Of(transition, time.GetUtcNow());
    }
}
