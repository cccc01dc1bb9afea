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
/// Verify: find the session (by id, or the recipient's latest) and the recipient's ledger, take
/// the guess's place in the recipient's failed-verify windows (refused when they are full), then
/// compare the code. A wrong code keeps its place and is counted in the shared alarms; a success
/// clears the recipient's windows; a guess the session refused without comparing, or the
/// approving code typed again, gives its place back.
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

        if (request.Repeat is not (null or VerifyRequest.Replay or VerifyRequest.Conflict))
        {
            errors.Add("repeat", $"Must be {VerifyRequest.Replay} or {VerifyRequest.Conflict}.");
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
            session = await finder.FindLatestAsync(caller, ledger, cancellationToken).ConfigureAwait(false);
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

        var reserved = await budgets.ReserveGuessAsync(caller, ledger, cancellationToken).ConfigureAwait(false);
        if (!reserved.IsSuccess)
        {
            return reserved.Error;
        }

        var guess = reserved.Value;
        if (session is null)
        {
            // By recipient, "no pending code here" reads exactly like a wrong code (no enumeration
            // of phones and emails), and it costs the recipient's budget like one.
            await budgets.CountFailureAsync(caller, request.CallerIp, cancellationToken).ConfigureAwait(false);
            metrics.VerifiedNothing(caller.ApplicationId, caller.Sandbox);
            return NoPendingCode(request);
        }

        var command = new VerifyCommand(codes.DigestOfTyped(session, request.Code!), Codes.TransactionBinding.Of(request.Amount, request.Payee));
        OtpResult<Transition> checkedCode;
        try
        {
            checkedCode = await changes.ApplyAsync(caller, "verify", [], session, command, _ => false, cancellationToken).ConfigureAwait(false);
        }
        catch (SessionOutcomeUnknownException)
        {
            // The guess may still be checked: its place stays taken, and it counts as a failure.
            await budgets.CountFailureAsync(caller, request.CallerIp, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
        catch (Exception)
        {
            // The session could not be changed: the code was not compared.
            await TryGiveBackAsync(guess).ConfigureAwait(false);
            throw;
        }

        if (!checkedCode.IsSuccess)
        {
            await budgets.GiveBackGuessAsync(guess, CancellationToken.None).ConfigureAwait(false);
            return checkedCode.Error;
        }

        var transition = checkedCode.Value;
        OtpLog.Verified(logger, new LoggedId(session.Id), transition.Outcome, transition.Session.AttemptsRemaining);
        metrics.Verified(transition.Session, transition.Outcome, byRecipient);
        switch (transition.Outcome)
        {
            case TransitionOutcome.Approved:
                await budgets.ClearGuessesAsync(guess, cancellationToken).ConfigureAwait(false);
                guard.RecordApproval(caller, transition.Session);
                stats.Approved(transition.Session);
                return new VerifyReceipt(transition.Session);
            case TransitionOutcome.ApprovedAgain:
                // A double submit or a retried request: no guess, and (by default) the same answer.
                await budgets.GiveBackGuessAsync(guess, CancellationToken.None).ConfigureAwait(false);
                return request.Repeat != VerifyRequest.Conflict && transition.Session.ReplaysApprovalAt(time.GetUtcNow())
                    ? new VerifyReceipt(transition.Session, Replayed: true)
                    : AlreadyVerified(request);
            case TransitionOutcome.WrongCode or TransitionOutcome.LockedNow:
                await budgets.CountFailureAsync(caller, request.CallerIp, cancellationToken).ConfigureAwait(false);
                return OtpError.Of(ErrorCatalogue.InvalidCode) with { AttemptsRemaining = byRecipient ? null : transition.Session.AttemptsRemaining };
            case TransitionOutcome.AlreadyApproved:
                // Another code against an approved session: a guess all the same.
                await budgets.CountFailureAsync(caller, request.CallerIp, cancellationToken).ConfigureAwait(false);
                return AlreadyVerified(request);
            case var _ when byRecipient:
                // Locked, expired or canceled since it was found: by recipient that is no pending
                // code, answered and charged as one, so a race tells nothing either.
                await budgets.CountFailureAsync(caller, request.CallerIp, cancellationToken).ConfigureAwait(false);
                return NoPendingCode(request);
            default:
                // Refused before any code was compared (locked, expired, canceled).
                await budgets.GiveBackGuessAsync(guess, CancellationToken.None).ConfigureAwait(false);
                return Refusals.Of(transition, time.GetUtcNow());
        }
    }

    /// <summary>
    /// The session could not be changed (storage failed): the guess's place goes back if storage
    /// lets it; if not, it stays taken (failing closed), and the first fault is what the caller hears.
    /// </summary>
    private async Task TryGiveBackAsync(GuessReservation guess)
    {
        try
        {
            await budgets.GiveBackGuessAsync(guess, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            OtpLog.GuessKept(logger, e.GetType().Name);
        }
    }

    /// <summary>By recipient an approved session is no pending code.</summary>
    private static OtpError AlreadyVerified(VerifyRequest request) =>
        request.SessionId is null ? NoPendingCode(request) : OtpError.Of(ErrorCatalogue.AlreadyVerified);

    /// <summary>By recipient, no pending code reads as a wrong code (no enumeration), unless the caller's vendor documents a not-found.</summary>
    private static OtpError NoPendingCode(VerifyRequest request) =>
        OtpError.Of(request.NoPendingIsNotFound ? ErrorCatalogue.SessionNotFound : ErrorCatalogue.InvalidCode);

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
