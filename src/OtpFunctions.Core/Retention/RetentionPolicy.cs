using OtpFunctions.Core.Limits;

namespace OtpFunctions.Core.Retention;

/// <summary>
/// How long each kind of stored data is kept: the one place that decides it (docs/security.md,
/// "Retention"). Every row the service writes carries the time it may be deleted, computed here;
/// <see cref="Workers.RetentionSweep"/> deletes what is past it, so nothing outlives its retention
/// even when a timer is lost.
/// </summary>
public sealed record RetentionPolicy
{
    /// <summary>A session, after its last change or its expiry, whichever is later.</summary>
    public TimeSpan Sessions { get; init; } = TimeSpan.FromDays(1);

    /// <summary>A recipient's or a number prefix's ledger, after its last write (at least its longest window).</summary>
    public TimeSpan Ledgers { get; init; } = TimeSpan.FromDays(1);

    /// <summary>Usage counts (per realm and day, no recipient in them), after their day ends.</summary>
    public TimeSpan Stats { get; init; } = TimeSpan.FromDays(400);

    /// <summary>The record of delivery attempts (<see cref="Attempts.AttemptLog"/>), after each was queued.</summary>
    public TimeSpan Attempts { get; init; } = TimeSpan.FromDays(30);

    /// <summary>The audit log of operators' changes (<see cref="Administration.AuditEntry"/>), after each was made.</summary>
    public TimeSpan Audit { get; init; } = TimeSpan.FromDays(400);

    /// <summary>How often the sweep deletes what is past its retention.</summary>
    public TimeSpan SweepInterval { get; init; } = TimeSpan.FromMinutes(15);

    public static RetentionPolicy Default { get; } = new();

    /// <summary>When a ledger written at <paramref name="now"/> may be deleted: an open breaker keeps it until it closes.</summary>
    public DateTimeOffset LedgerUntil(RecipientLedger ledger, DateTimeOffset now)
    {
        var until = now + Ledgers;
        return ledger.BlockedUntil is { } blocked && blocked > until ? blocked : until;
    }

    /// <summary>When the usage counts of the day that ends at <paramref name="dayEnd"/> may be deleted.</summary>
    public DateTimeOffset StatsUntil(DateTimeOffset dayEnd) => dayEnd + Stats;

    /// <summary>When the record of an attempt queued at <paramref name="queuedAt"/> may be deleted.</summary>
    public DateTimeOffset AttemptUntil(DateTimeOffset queuedAt) => queuedAt + Attempts;

    /// <summary>When an audit entry made at <paramref name="at"/> may be deleted.</summary>
    public DateTimeOffset AuditUntil(DateTimeOffset at) => at + Audit;

    /// <summary>
    /// The settings' own consistency: a ledger must outlive every window counted in it, or a
    /// deleted ledger would hand a recipient a fresh budget. Null when consistent.
    /// </summary>
    public string? Problem(OtpLimits limits)
    {
        var longest = new[] { limits.SendsPerRecipient, limits.SendsPerRecipientDaily, limits.FailedVerifiesPerRecipient, limits.FailedVerifiesPerRecipientBurst }.Max(r => r.Window);
        return Ledgers < longest ? $"Ledgers ({Ledgers}) must be at least the longest recipient window ({longest})." :
            Sessions <= TimeSpan.Zero || Stats <= TimeSpan.Zero || Attempts <= TimeSpan.Zero || Audit <= TimeSpan.Zero || SweepInterval <= TimeSpan.Zero ? "Every retention and the sweep interval must be positive." :
            null;
    }
}
