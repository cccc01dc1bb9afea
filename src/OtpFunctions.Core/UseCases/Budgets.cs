using Microsoft.Extensions.Logging;
using OtpFunctions.Core.Applications;
using OtpFunctions.Core.Errors;
using OtpFunctions.Core.Limits;
using OtpFunctions.Core.Ports;
using OtpFunctions.Core.Recipients;
using OtpFunctions.Core.Retention;
using OtpFunctions.Core.Sessions;
using OtpFunctions.Core.Telemetry;

namespace OtpFunctions.Core.UseCases;

/// <summary>
/// The limits, applied. A recipient's budgets live in its ledger, next to its latest session, so
/// a send reserves its place and becomes the latest in one conditional write, and a guess takes
/// its place in the same kind of write before its code is compared. Shared send windows go
/// through a <see cref="LimitGate"/>. Shared failed-verify budgets (a caller's, a key's) never
/// refuse anyone: a budget many users share would let one attacker lock all of them out, so they
/// raise an alarm instead (<see cref="KnownBlocks"/> remembers it was raised).
/// </summary>
public sealed class Budgets(IRecipientLedgers ledgers, IRateLimitWindows windows, KnownBlocks alarms, RecipientProtector recipients, TimeProvider time, OtpMetrics metrics, ILogger<Budgets> logger, RetentionPolicy? retention = null)
{
    public Task<RecipientLedger> ReadAsync(ApplicationAccess caller, string recipientHash, CancellationToken cancellationToken) =>
        ledgers.ReadAsync(caller.Realm, recipientHash, cancellationToken);

    public LimitGate OpenGate(ApplicationAccess caller, CancellationToken cancellationToken) =>
        new(windows, time, _limited ??= Limited, caller, cancellationToken);

    // One delegate for every gate, not one per request.
    private Action<ApplicationAccess, string, string, TimeSpan>? _limited;

    /// <summary>
    /// A send: a place in each recipient's send window, and the new session becomes the
    /// recipient's latest, in the one write of its ledger. A refusal gives back what was already reserved.
    /// </summary>
    /// <param name="limits">The limits this send is checked against, when it asked for a lower daily cap than the application's.</param>
    /// <param name="charged">False for a test recipient's send: the session becomes the latest, and no window counts it.</param>
    public async Task<OtpResult<SendReservation>> ReserveSendAsync(ApplicationAccess caller, OtpSession session, CancellationToken cancellationToken, OtpLimits? limits = null, bool charged = true)
    {
        var reserved = new SendReservation(caller, session.Id);
        foreach (var recipient in session.Recipients)
        {
            OtpError? refusal = null;
            var at = DateTimeOffset.MinValue;
            var (before, _) = await UpdateAsync(caller.Realm, recipient.Hash, null, (ledger, now) =>
            {
                refusal = charged ? Refuse(caller, "send", RecipientWindow.SendWindows, ledger, now, limits) : null;
                at = now;
                return refusal is null ? (charged ? RecordSend(caller, ledger, now) : ledger) with { LatestSessionId = session.Id } : null;
            }, cancellationToken).ConfigureAwait(false);
            if (refusal is not null)
            {
                await GiveBackAsync(reserved, CancellationToken.None).ConfigureAwait(false);
                return refusal;
            }

            reserved.Previous.Add((recipient.Hash, before.LatestSessionId, at));
        }

        return reserved;
    }

    /// <summary>The send did not happen: its places back, and each recipient's latest session as it was (unless a newer send took it since).</summary>
    public async Task GiveBackAsync(SendReservation reservation, CancellationToken cancellationToken)
    {
        foreach (var (hash, previous, at) in reservation.Previous)
        {
            await UpdateAsync(reservation.Caller.Realm, hash, null, (ledger, _) => ledger.Unlog(RecipientWindow.Sends.Log, at) with
            {
                LatestSessionId = ledger.LatestSessionId == reservation.SessionId ? previous : ledger.LatestSessionId,
            }, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A resend's refusal by a recipient's send window, if any.</summary>
    public OtpError? RefuseResend(ApplicationAccess caller, IEnumerable<RecipientLedger> recipients)
    {
        var now = time.GetUtcNow();
        return recipients.Select(ledger => Refuse(caller, "resend", RecipientWindow.SendWindows, ledger, now)).FirstOrDefault(r => r is not null);
    }

    /// <summary>
    /// Counts a resend in its recipients' send windows. Resends of one session are already
    /// serialised by the session (cooldown and count), so this may come after the response.
    /// </summary>
    public async Task ChargeResendAsync(ApplicationAccess caller, IEnumerable<RecipientLedger> recipients, CancellationToken cancellationToken)
    {
        foreach (var ledger in recipients)
        {
            await UpdateAsync(caller.Realm, ledger.RecipientHash, ledger, (l, now) => RecordSend(caller, l, now), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A guess at the recipient's code takes its place in the recipient's failed-verify windows
    /// before the code is compared, in one conditional write: parallel guesses cannot all pass a
    /// check made before any of them is counted. A full window refuses (429) and nothing is taken.
    /// </summary>
    public async Task<OtpResult<GuessReservation>> ReserveGuessAsync(ApplicationAccess caller, RecipientLedger recipient, CancellationToken cancellationToken)
    {
        OtpError? refusal = null;
        var at = DateTimeOffset.MinValue;
        var (_, stored) = await UpdateAsync(caller.Realm, recipient.RecipientHash, recipient, (ledger, now) =>
        {
            refusal = Refuse(caller, "verify", RecipientWindow.FailedVerifies, ledger, now);
            at = now;
            return refusal is null ? RecipientWindow.Record(RecipientWindow.FailedVerifies, ledger, caller.Application.Limits, now) : null;
        }, cancellationToken).ConfigureAwait(false);
        return refusal is null ? new GuessReservation(caller, stored!, at) : refusal;
    }

    /// <summary>The guess was not compared (the session refused it) or was the approving code again: its place back.</summary>
    public Task GiveBackGuessAsync(GuessReservation guess, CancellationToken cancellationToken) =>
        UpdateAsync(guess.Caller.Realm, guess.Ledger.RecipientHash, guess.Ledger, (ledger, _) =>
            ledger.Unlog(RecipientWindow.GuessLog, guess.At) is var back && ReferenceEquals(back, ledger) ? null : back, cancellationToken);

    /// <summary>A success is no failure: the recipient's failed-verify windows start over.</summary>
    public Task ClearGuessesAsync(GuessReservation guess, CancellationToken cancellationToken) =>
        UpdateAsync(guess.Caller.Realm, guess.Ledger.RecipientHash, guess.Ledger, (ledger, _) =>
            ledger.Logs.ContainsKey(RecipientWindow.GuessLog) ? ledger.ClearLog(RecipientWindow.GuessLog) : null, cancellationToken);

    /// <summary>
    /// A failed guess (or one whose outcome is unknown), counted in the shared budgets that watch
    /// for guessing across recipients: the caller's and the key's. The one that fills up raises
    /// the alarm (a warning and <c>otp_limit_hits</c>) once per window; nobody is refused for it.
    /// </summary>
    public async Task CountFailureAsync(ApplicationAccess caller, string? callerIp, CancellationToken cancellationToken)
    {
        foreach (var permit in Permit.ForFailedVerify(caller, callerIp is null ? null : recipients.HashIp(callerIp)))
        {
            var decision = await windows.TryAcquireAsync(permit.Key, permit.Rule, cancellationToken).ConfigureAwait(false);
            if ((!decision.Allowed || decision.Count >= permit.Rule.Limit) && alarms.SpentFor(permit.Key) is null)
            {
                alarms.Remember(permit.Key, decision.FreesAt);
                OtpLog.SharedBudgetExceeded(logger, permit.Name, caller.ApplicationId, permit.Rule.Limit, permit.Rule.Window);
                metrics.LimitHit(caller.ApplicationId, permit.Name, "verify");
            }
        }
    }

    private static RecipientLedger RecordSend(ApplicationAccess caller, RecipientLedger ledger, DateTimeOffset now) =>
        RecipientWindow.Record(RecipientWindow.SendWindows, ledger, caller.Application.Limits, now);

    private OtpError? Refuse(ApplicationAccess caller, string operation, IEnumerable<RecipientWindow> recipientWindows, RecipientLedger ledger, DateTimeOffset now, OtpLimits? limits = null)
    {
        limits ??= caller.Application.Limits;
        foreach (var window in recipientWindows)
        {
            if (window.FullFor(ledger, limits, now) is { } wait)
            {
                Limited(caller, window.Name, operation, wait);
                return window.Refusal(wait).LimitedBy(window.Name, window.RuleOf(limits));
            }
        }

        return null;
    }

    /// <summary>A limit refused: logged and counted.</summary>
    private void Limited(ApplicationAccess caller, string limit, string operation, TimeSpan wait)
    {
        OtpLog.Limited(logger, limit, operation, caller.ApplicationId, wait);
        metrics.LimitHit(caller.ApplicationId, limit, operation);
    }

    private Task<(RecipientLedger Before, RecipientLedger? After)> UpdateAsync(
        string realm, string recipientHash, RecipientLedger? lastRead, Func<RecipientLedger, DateTimeOffset, RecipientLedger?> change, CancellationToken cancellationToken) =>
        LedgerWrites.UpdateAsync(ledgers, time, realm, recipientHash, lastRead, change, (retention ?? RetentionPolicy.Default).LedgerUntil, cancellationToken);
}

/// <summary>What a send reserved: each recipient's hash, the session that was its latest before, and when its place was taken.</summary>
public sealed class SendReservation(ApplicationAccess caller, string sessionId)
{
    public ApplicationAccess Caller { get; } = caller;
    public string SessionId { get; } = sessionId;
    public List<(string Hash, string? LatestBefore, DateTimeOffset At)> Previous { get; } = [];
}

/// <summary>A guess's place in its recipient's failed-verify windows: the ledger as stored with it, and the time it holds.</summary>
public sealed record GuessReservation(ApplicationAccess Caller, RecipientLedger Ledger, DateTimeOffset At);
