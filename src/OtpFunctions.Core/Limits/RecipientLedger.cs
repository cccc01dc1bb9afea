using System.Collections.Immutable;

namespace OtpFunctions.Core.Limits;

/// <summary>
/// Everything kept per recipient of a realm, in one record so that one read and one conditional
/// write cover it: the latest session (for verify by recipient) and the recipient's windows
/// (sends, failed verifies). The recipient hash is a keyed hash: no address is in it. The fraud
/// guard keeps a number prefix's counts in a ledger of its own (the prefix in place of the hash),
/// with the time its breaker stays open.
/// </summary>
public sealed record RecipientLedger(string Realm, string RecipientHash)
{
    public string? LatestSessionId { get; init; }

    /// <summary>The count of each named window, for the window it was counted in.</summary>
    public ImmutableDictionary<string, WindowCount> Windows { get; init; } = ImmutableDictionary<string, WindowCount>.Empty;

    /// <summary>A prefix ledger's open breaker: until when, and why.</summary>
    public DateTimeOffset? BlockedUntil { get; init; }

    public string? BlockReason { get; init; }

    /// <summary>The store's concurrency token for the copy read; null when nothing is stored yet.</summary>
    public string? Version { get; init; }

    /// <summary>The count of <paramref name="window"/> in the current window of <paramref name="rule"/> (an older window counts nothing).</summary>
    public int Count(string window, RateLimitRule rule, DateTimeOffset now) =>
        Windows.TryGetValue(window, out var counted) && counted.Matches(rule, rule.WindowIndex(now)) ? counted.Count : 0;

    /// <summary>The ledger with <paramref name="delta"/> added to the current window (never below zero).</summary>
    public RecipientLedger Add(string window, RateLimitRule rule, DateTimeOffset now, int delta)
    {
        var index = rule.WindowIndex(now);
        var count = Math.Max(0, Count(window, rule, now) + delta);
        return this with { Windows = Windows.SetItem(window, new WindowCount((long)rule.Window.TotalSeconds, index, count)) };
    }

    /// <summary>The ledger without <paramref name="window"/>'s count.</summary>
    public RecipientLedger Clear(string window) => this with { Windows = Windows.Remove(window) };
}

/// <summary>A count and the window it belongs to (the window's length too: a changed setting starts a new count).</summary>
public readonly record struct WindowCount(long Seconds, long Index, int Count)
{
    public bool Matches(RateLimitRule rule, long index) => Seconds == (long)rule.Window.TotalSeconds && Index == index;
}
