using Microsoft.Extensions.Logging;
using OtpFunctions.Core.Applications;
using OtpFunctions.Core.Errors;
using OtpFunctions.Core.Limits;
using OtpFunctions.Core.Ports;
using OtpFunctions.Core.Recipients;
using OtpFunctions.Core.Sessions;
using OtpFunctions.Core.Telemetry;

namespace OtpFunctions.Core.UseCases;

/// <summary>
/// The limits, applied. A recipient's windows live in its ledger, next to its latest session, so
/// a send reserves its window and becomes the latest in one conditional write, and a verify learns
/// the recipient's failures from the same read that finds its session. Shared windows go through
/// a <see cref="LimitGate"/>; shared failure budgets are charged after the fact (<see cref="KnownBlocks"/>).
/// </summary>
public sealed class Budgets(IRecipientLedgers ledgers, IRateLimitWindows windows, KnownBlocks spent, RecipientProtector recipients, TimeProvider time, OtpMetrics metrics, ILogger<Budgets> logger)
{
    public Task<RecipientLedger> ReadAsync(ApplicationAccess caller, string recipientHash, CancellationToken cancellationToken) =>
        ledgers.ReadAsync(caller.Realm, recipientHash, cancellationToken);

    public LimitGate OpenGate(ApplicationAccess caller, CancellationToken cancellationToken) =>
        new(windows, time, _limited ??= Limited, caller, cancellationToken);

    // One delegate for every gate, not one per request.
    private Action<ApplicationAccess, string, string, TimeSpan>? _limited;

    /// <summary>
    /// A send: one from each recipient's send window, and the new session becomes the recipient's
    /// latest, in the one write of its ledger. A refusal gives back what was already reserved.
    /// </summary>
    public async Task<OtpResult<SendReservation>> ReserveSendAsync(ApplicationAccess caller, OtpSession session, CancellationToken cancellationToken)
    {
        var reserved = new SendReservation(caller, session.Id);
        foreach (var recipient in session.Recipients)
        {
            OtpError? refusal = null;
            var (before, _) = await UpdateAsync(caller.Realm, recipient.Hash, null, (ledger, now) =>
            {
                refusal = Refuse(caller, "send", [RecipientWindow.Sends], ledger, now);
                return refusal is null ? AddSend(caller, ledger, now, 1) with { LatestSessionId = session.Id } : null;
            }, cancellationToken).ConfigureAwait(false);
            if (refusal is not null)
            {
                await GiveBackAsync(reserved, CancellationToken.None).ConfigureAwait(false);
                return refusal;
            }

            reserved.Previous.Add((recipient.Hash, before.LatestSessionId));
        }

        return reserved;
    }

    /// <summary>The send did not happen: its windows back, and each recipient's latest session as it was (unless a newer send took it since).</summary>
    public async Task GiveBackAsync(SendReservation reservation, CancellationToken cancellationToken)
    {
        foreach (var (hash, previous) in reservation.Previous)
        {
            await UpdateAsync(reservation.Caller.Realm, hash, null, (ledger, now) => AddSend(reservation.Caller, ledger, now, -1) with
            {
                LatestSessionId = ledger.LatestSessionId == reservation.SessionId ? previous : ledger.LatestSessionId,
            }, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A resend's refusal by a recipient's send window, if any.</summary>
    public OtpError? RefuseResend(ApplicationAccess caller, IEnumerable<RecipientLedger> recipients)
    {
        var now = time.GetUtcNow();
        return recipients.Select(ledger => Refuse(caller, "resend", [RecipientWindow.Sends], ledger, now)).FirstOrDefault(r => r is not null);
    }

    /// <summary>
    /// Counts a resend in its recipients' send windows. Resends of one session are already
    /// serialised by the session (cooldown and count), so this may come after the response.
    /// </summary>
    public async Task ChargeResendAsync(ApplicationAccess caller, IEnumerable<RecipientLedger> recipients, CancellationToken cancellationToken)
    {
        foreach (var ledger in recipients)
        {
            await UpdateAsync(caller.Realm, ledger.RecipientHash, ledger, (l, now) => AddSend(caller, l, now, 1), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The refusal a verify gets before its code is checked: a recipient window full, or a shared budget known spent.</summary>
    /// <param name="callerIp">The caller's address, keyed by its hash only when a budget is looked up or charged.</param>
    public OtpError? RefuseVerify(ApplicationAccess caller, RecipientLedger recipient, string? callerIp)
    {
        if (Refuse(caller, "verify", RecipientWindow.FailedVerifies, recipient, time.GetUtcNow()) is { } refusal)
        {
            return refusal;
        }

        foreach (var permit in spent.IsEmpty ? [] : Permit.ForFailedVerify(caller, IpHash(callerIp)))
        {
            if (spent.SpentFor(permit.Key) is { } wait)
            {
                Limited(caller, permit.Name, "verify", wait);
                return permit.Refusal(wait);
            }
        }

        return null;
    }

    /// <summary>A failed verify (or one whose outcome is unknown): charged to the recipient's windows and the shared budgets at once.</summary>
    public async Task ChargeFailureAsync(ApplicationAccess caller, RecipientLedger recipient, string? callerIp, CancellationToken cancellationToken)
    {
        var limits = caller.Application.Limits;
        var charges = Permit.ForFailedVerify(caller, IpHash(callerIp)).Select(p => ChargeAsync(caller, p, cancellationToken)).ToList();
        charges.Add(UpdateAsync(caller.Realm, recipient.RecipientHash, recipient,
            (ledger, now) => RecipientWindow.FailedVerifies.Aggregate(ledger, (l, w) => l.Add(w.Name, w.RuleOf(limits), now, 1)), cancellationToken));
        await Task.WhenAll(charges).ConfigureAwait(false);
    }

    /// <summary>A success is no failure: the recipient's failed-verify windows start over (no write when they are empty).</summary>
    public Task ClearFailuresAsync(ApplicationAccess caller, RecipientLedger recipient, CancellationToken cancellationToken) =>
        UpdateAsync(caller.Realm, recipient.RecipientHash, recipient, (ledger, now) =>
            RecipientWindow.FailedVerifies.Any(w => ledger.Count(w.Name, w.RuleOf(caller.Application.Limits), now) > 0)
                ? RecipientWindow.FailedVerifies.Aggregate(ledger, (l, w) => l.Clear(w.Name))
                : null, cancellationToken);

    private string? IpHash(string? ip) => ip is null ? null : recipients.HashIp(ip);

    private async Task ChargeAsync(ApplicationAccess caller, Permit permit, CancellationToken cancellationToken)
    {
        // The charge that fills the budget marks it spent, so the next attempt is refused as if it had been taken up front.
        var decision = await windows.TryAcquireAsync(permit.Key, permit.Rule, cancellationToken).ConfigureAwait(false);
        if (!decision.Allowed || decision.Count >= permit.Rule.Limit)
        {
            spent.Remember(permit.Key, permit.Rule.WindowEnd(decision.WindowIndex));
            Limited(caller, permit.Name, "verify", decision.RetryAfter(time.GetUtcNow()));
        }
    }

    private static RecipientLedger AddSend(ApplicationAccess caller, RecipientLedger ledger, DateTimeOffset now, int delta) =>
        ledger.Add(RecipientWindow.Sends.Name, RecipientWindow.Sends.RuleOf(caller.Application.Limits), now, delta);

    private OtpError? Refuse(ApplicationAccess caller, string operation, IEnumerable<RecipientWindow> recipientWindows, RecipientLedger ledger, DateTimeOffset now)
    {
        foreach (var window in recipientWindows)
        {
            if (window.FullFor(ledger, caller.Application.Limits, now) is { } wait)
            {
                Limited(caller, window.Name, operation, wait);
                return window.Refusal(wait);
            }
        }

        return null;
    }

    /// <summary>A limit refused (or, for a shared failure budget, was just filled): logged and counted.</summary>
    private void Limited(ApplicationAccess caller, string limit, string operation, TimeSpan wait)
    {
        OtpLog.Limited(logger, limit, operation, caller.ApplicationId, wait);
        metrics.LimitHit(caller.ApplicationId, limit, operation);
    }

    private Task<(RecipientLedger Before, RecipientLedger? After)> UpdateAsync(
        string realm, string recipientHash, RecipientLedger? lastRead, Func<RecipientLedger, DateTimeOffset, RecipientLedger?> change, CancellationToken cancellationToken) =>
        LedgerWrites.UpdateAsync(ledgers, time, realm, recipientHash, lastRead, change, cancellationToken);
}

/// <summary>What a send reserved: each recipient's hash and the session that was its latest before.</summary>
public sealed class SendReservation(ApplicationAccess caller, string sessionId)
{
    public ApplicationAccess Caller { get; } = caller;
    public string SessionId { get; } = sessionId;
    public List<(string Hash, string? LatestBefore)> Previous { get; } = [];
}
