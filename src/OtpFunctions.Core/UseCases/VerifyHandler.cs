using Microsoft.Extensions.Logging;
using OtpFunctions.Core.Applications;
using OtpFunctions.Core.Errors;
using OtpFunctions.Core.Limits;
using OtpFunctions.Core.Ports;
using OtpFunctions.Core.Recipients;
using OtpFunctions.Core.Security;
using OtpFunctions.Core.Sessions;
using OtpFunctions.Core.Telemetry;

namespace OtpFunctions.Core.UseCases;

/// <summary>
/// Verify: find the session (by id, or the recipient's pending one) and the recipient's ledger,
/// refuse when a failed-verify budget is spent, check the code; a failure is charged to every
/// budget, a success clears the recipient's.
/// </summary>
public sealed class VerifyHandler(
    SessionFinder finder,
    SessionChanges changes,
    Budgets budgets,
    FraudGuard guard,
    UsageStats stats,
    OtpMetrics metrics,
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

        OtpSession? session = null;
        RecipientLedger ledger;
        if (byRecipient)
        {
            ledger = await budgets.ReadAsync(caller, recipientHash!, cancellationToken).ConfigureAwait(false);
            var pending = await finder.FindPendingAsync(caller, ledger, cancellationToken).ConfigureAwait(false);
            session = pending.IsSuccess ? pending.Value : null;
            if (session is not null && session.PrimaryRecipient.Hash != recipientHash)
            {
                // Named by its second recipient (the email of a phone session): the budgets are the
                // primary recipient's, however the session is named.
                ledger = await budgets.ReadAsync(caller, session.PrimaryRecipient.Hash, cancellationToken).ConfigureAwait(false);
            }
        }
        else
        {
            var found = await finder.LoadAsync(caller, request.SessionId!, cancellationToken).ConfigureAwait(false);
            if (!found.IsSuccess)
            {
                return found.Error;
            }

            session = found.Value;
            ledger = await budgets.ReadAsync(caller, session.PrimaryRecipient.Hash, cancellationToken).ConfigureAwait(false);
        }

        if (budgets.RefuseVerify(caller, ledger, request.CallerIp) is { } refusal)
        {
            return refusal;
        }

        if (session is null)
        {
            // By recipient, "no pending code here" reads exactly like a wrong code (no enumeration
            // of phones and emails), and it costs the recipient's budgets like one.
            await budgets.ChargeFailureAsync(caller, ledger, request.CallerIp, cancellationToken).ConfigureAwait(false);
            metrics.VerifiedNothing(caller.ApplicationId, caller.Sandbox);
            return OtpError.Of(ErrorCatalogue.InvalidCode);
        }

        var command = new VerifyCommand(codes.DigestOfTyped(session, request.Code!));
        OtpResult<Transition> checkedCode;
        try
        {
            checkedCode = await changes.ApplyAsync(caller, "verify", [], session, command, _ => false, cancellationToken).ConfigureAwait(false);
        }
        catch (SessionOutcomeUnknownException)
        {
            // The guess may still be checked: it counts as a failure.
            await budgets.ChargeFailureAsync(caller, ledger, request.CallerIp, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        if (!checkedCode.IsSuccess)
        {
            return checkedCode.Error;
        }

        var transition = checkedCode.Value;
        OtpLog.Verified(logger, new LoggedId(session.Id), transition.Outcome, transition.Session.AttemptsRemaining);
        metrics.Verified(transition.Session, transition.Outcome);
        switch (transition.Outcome)
        {
            case TransitionOutcome.Approved:
                await budgets.ClearFailuresAsync(caller, ledger, cancellationToken).ConfigureAwait(false);
                guard.RecordApproval(caller, transition.Session);
                stats.Approved(transition.Session);
                return new VerifyReceipt(transition.Session);
            case TransitionOutcome.WrongCode or TransitionOutcome.LockedNow:
                await budgets.ChargeFailureAsync(caller, ledger, request.CallerIp, cancellationToken).ConfigureAwait(false);
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
            if (Phones.TryNormalize(request.Phone, out var phone, out var problem))
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
