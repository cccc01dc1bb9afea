using Microsoft.Extensions.Logging;
using OtpFunctions.Core.Applications;
using OtpFunctions.Core.Errors;
using OtpFunctions.Core.Limits;
using OtpFunctions.Core.Ports;
using OtpFunctions.Core.Recipients;
using OtpFunctions.Core.Security;
using OtpFunctions.Core.Sessions;

namespace OtpFunctions.Core.UseCases;

/// <summary>
/// Verify: find the session (by id, or the recipient's pending one), spend a failed-verify
/// permit of every budget, check the code; a success gives the permits back and clears the
/// recipient's budgets.
/// </summary>
public sealed class VerifyHandler(
    SessionFinder finder,
    SessionChanges changes,
    IRateLimitWindows limits,
    SessionCodes codes,
    RecipientProtector recipients,
    TimeProvider time,
    OtpServiceOptions options,
    ILogger<VerifyHandler> logger)
{
    public async Task<OtpResult<VerifyReceipt>> HandleAsync(ApplicationAccess caller, VerifyRequest request, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (string.IsNullOrWhiteSpace(request.Code))
        {
            errors.Add("code", "The code is required.");
        }
        else if (request.Code.Length > options.MaxTypedCodeLength)
        {
            errors.Add("code", $"Must be at most {options.MaxTypedCodeLength} characters.");
        }

        var byRecipient = request.SessionId is null;
        var recipientHash = byRecipient ? RecipientHash(request, errors) : null;
        if (!errors.IsEmpty)
        {
            return OtpError.Validation(errors);
        }

        var callerIpHash = request.CallerIp is null ? null : recipients.HashIp(request.CallerIp);
        var found = byRecipient
            ? await finder.FindPendingAsync(caller, recipientHash!, cancellationToken).ConfigureAwait(false)
            : await finder.LoadAsync(caller, request.SessionId!, cancellationToken).ConfigureAwait(false);
        if (!found.IsSuccess)
        {
            // By recipient, "no pending code here" reads exactly like a wrong code (no enumeration
            // of phones and emails), and it costs the recipient's budgets like one.
            return byRecipient
                ? await changes.SpendAsync(caller, "verify", Permit.ForVerify(caller, recipientHash!, callerIpHash), cancellationToken).ConfigureAwait(false)
                    ?? OtpError.Of(ErrorCatalogue.InvalidCode)
                : found.Error;
        }

        var session = found.Value;
        var recipientBudget = RateLimitKeys.FailedVerifies(caller.Realm, session.PrimaryRecipient.Hash);
        var command = new VerifyCommand(codes.DigestOfTyped(session, request.Code!));
        var checkedCode = await changes.ApplyAsync(caller, "verify", Permit.ForVerify(caller, session.PrimaryRecipient.Hash, callerIpHash),
            session.Id, command, (t, permit) => t.Outcome is TransitionOutcome.WrongCode or TransitionOutcome.LockedNow ||
                // An approval resets the recipient's budgets below; giving those permits back first would be wasted requests.
                (t.Outcome == TransitionOutcome.Approved && permit.Key == recipientBudget),
            cancellationToken).ConfigureAwait(false);
        if (!checkedCode.IsSuccess)
        {
            return checkedCode.Error;
        }

        var transition = checkedCode.Value;
        OtpLog.Verified(logger, new LoggedId(session.Id), transition.Outcome, transition.Session.AttemptsRemaining);
        switch (transition.Outcome)
        {
            case TransitionOutcome.Approved:
                // A success is no failure: the recipient's budgets start over.
                await limits.ResetAsync(recipientBudget, caller.Application.Limits.FailedVerifiesPerRecipient, cancellationToken).ConfigureAwait(false);
                await limits.ResetAsync(recipientBudget, caller.Application.Limits.FailedVerifiesPerRecipientBurst, cancellationToken).ConfigureAwait(false);
                return new VerifyReceipt(transition.Session);
            case TransitionOutcome.WrongCode or TransitionOutcome.LockedNow:
                return OtpError.Of(ErrorCatalogue.InvalidCode) with { AttemptsRemaining = byRecipient ? null : transition.Session.AttemptsRemaining };
            default:
                return Refusals.Of(transition, time.GetUtcNow());
        }
    }

    /// <summary>The hash of the phone or email a verify by recipient names; a field error when neither is usable.</summary>
    private string? RecipientHash(VerifyRequest request, ValidationErrors errors)
    {
        if (request.Phone is not null)
        {
            if (PhoneNumbers.TryNormalize(request.Phone, out var phone, out var problem))
            {
                return recipients.Hash(RecipientKind.Phone, phone);
            }

            errors.Add("phone", problem);
        }
        else if (request.Email is not null)
        {
            if (EmailAddresses.TryNormalize(request.Email, out var email, out var problem))
            {
                return recipients.Hash(RecipientKind.Email, email);
            }

            errors.Add("email", problem);
        }
        else
        {
            errors.Add("session_token", "Give session_token (or id), or the phone or email the code was sent to.");
        }

        return null;
    }
}
