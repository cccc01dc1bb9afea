using Microsoft.AspNetCore.Http;
using OtpFunctions.Core.Applications;
using OtpFunctions.Core.Errors;
using OtpFunctions.Core.UseCases;

namespace OtpFunctions.Http.Handlers;

/// <summary>
/// Verify as an HTTP caller asks for it, for the API and every vendor profile alike: the
/// caller's address feeds the per-caller budget, and a verify by phone or email answers no
/// sooner than <see cref="OtpServiceOptions.VerifyByRecipientMinimumDuration"/>, found or not.
/// </summary>
public sealed class VerifyCaller(VerifyHandler verify, OtpServiceOptions options)
{
    public async Task<OtpResult<VerifyReceipt>> VerifyAsync(HttpRequest request, ApplicationAccess caller, VerifyRequest body, CancellationToken cancellationToken)
    {
        // Wall-clock time on purpose (not the injected clock): the padding is for a real observer.
        var started = TimeProvider.System.GetTimestamp();
        var result = await verify.HandleAsync(caller, body with { CallerIp = request.HttpContext.Connection.RemoteIpAddress?.ToString() }, cancellationToken).ConfigureAwait(false);
        // A loop, since a timer may fire a fraction of a millisecond before the stopwatch agrees.
        while (body.SessionId is null && options.VerifyByRecipientMinimumDuration - TimeProvider.System.GetElapsedTime(started) is { Ticks: > 0 } left)
        {
            await Task.Delay(left, cancellationToken).ConfigureAwait(false);
        }

        return result;
    }

    /// <summary>
    /// Verify for a vendor profile: the approving code typed again answers as the vendor's
    /// "already verified" or "not found" (its documented behaviour), never as a second approval.
    /// </summary>
    public Task<OtpResult<VerifyReceipt>> VerifyForVendorAsync(HttpRequest request, ApplicationAccess caller, VerifyRequest body, CancellationToken cancellationToken) =>
        VerifyAsync(request, caller, body with { Repeat = VerifyRequest.Conflict }, cancellationToken);
}
