using OtpFunctions.Core.Applications;
using OtpFunctions.Core.Errors;
using OtpFunctions.Core.Sessions;

namespace OtpFunctions.Core.UseCases;

/// <summary>Status: the session as of now (a pending session past its expiry reads as expired).</summary>
public sealed class StatusHandler(SessionFinder finder, TimeProvider time)
{
    public async Task<OtpResult<OtpSession>> HandleAsync(ApplicationAccess caller, string sessionId, CancellationToken cancellationToken)
    {
        var found = await finder.LoadAsync(caller, sessionId, cancellationToken).ConfigureAwait(false);
        if (!found.IsSuccess)
        {
            return found.Error;
        }

        return found.Value with { Status = found.Value.StatusAt(time.GetUtcNow()) };
    }
}
