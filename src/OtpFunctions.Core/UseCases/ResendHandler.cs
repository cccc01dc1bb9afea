using Microsoft.Extensions.Logging;
using OtpFunctions.Core.Applications;
using OtpFunctions.Core.Errors;
using OtpFunctions.Core.Ports;
using OtpFunctions.Core.Security;
using OtpFunctions.Core.Sessions;
using OtpFunctions.Core.Telemetry;

namespace OtpFunctions.Core.UseCases;

/// <summary>Resend: a new code (a new generation) for the session, under the same send permits as a first send.</summary>
public sealed class ResendHandler(
    SessionFinder finder, SessionChanges changes, Budgets budgets, FraudGuard guard, IAfterResponse afterResponse, OtpMetrics metrics, SessionMachine machine, SandboxCodes sandboxCodes, TimeProvider time, ILogger<ResendHandler> logger)
{
    public async Task<OtpResult<SendReceipt>> HandleAsync(ApplicationAccess caller, ResendRequest request, CancellationToken cancellationToken)
    {
        if (request.SessionId is null)
        {
            return OtpError.Validation("session_token", "The session_token (or id) is required.");
        }

        Channel? channel = null;
        if (request.Channel is not null)
        {
            if (!Channels.TryParse(request.Channel, out var parsed))
            {
                return OtpError.Validation("channel", $"Unknown channel; use {string.Join(", ", Channels.WireNames)}.");
            }

            channel = parsed;
        }

        var found = await finder.LoadAsync(caller, request.SessionId, cancellationToken).ConfigureAwait(false);
        if (!found.IsSuccess)
        {
            return found.Error;
        }

        var session = found.Value;
        var command = new ResendCommand(channel);

        // A dry run on the copy just read: a resend the session will refuse must not spend the
        // recipient's window or the quota.
        var preview = machine.Apply(session, command, time.GetUtcNow());
        if (preview.Outcome != TransitionOutcome.Applied)
        {
            OtpLog.Resent(logger, new LoggedId(session.Id), preview.Outcome, session.Generation);
            return Refusals.Of(preview, time.GetUtcNow());
        }

        if (guard.RefuseResend(caller, session) is { } blocked)
        {
            return blocked;
        }

        // A test recipient's session (a fixed code) charges no send window or shared permit.
        var charged = session.FixedCodeDigest is null;
        var ledgers = charged ? await Task.WhenAll(session.Recipients.Select(r => budgets.ReadAsync(caller, r.Hash, cancellationToken))).ConfigureAwait(false) : [];
        if (budgets.RefuseResend(caller, ledgers) is { } refusal)
        {
            return refusal;
        }

        var permits = charged ? Permit.ForSend(caller, session.IpHash, countries: session.Recipients.Select(r => r.Country).OfType<string>()) : [];
        var resent = await changes.ApplyAsync(caller, "send", permits, session, command,
            t => t.Outcome == TransitionOutcome.Applied, cancellationToken).ConfigureAwait(false);
        if (!resent.IsSuccess)
        {
            return resent.Error;
        }

        var transition = resent.Value;
        if (transition.Outcome == TransitionOutcome.Applied)
        {
            metrics.Sent(transition.Session, resend: true);
            guard.RecordResend(caller, transition.Session);
            if (ledgers.Length > 0)
            {
                await afterResponse.ScheduleAsync(ct => budgets.ChargeResendAsync(caller, ledgers, ct), cancellationToken).ConfigureAwait(false);
            }
        }

        OtpLog.Resent(logger, new LoggedId(session.Id), transition.Outcome, transition.Session.Generation);
        return transition.Outcome == TransitionOutcome.Applied
            ? new SendReceipt(transition.Session, sandboxCodes.Shown(caller, transition.Session))
            : Refusals.Of(transition, time.GetUtcNow());
    }
}
