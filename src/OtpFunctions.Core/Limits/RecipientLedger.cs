using System.Collections.Immutable;

namespace OtpFunctions.Core.Limits;

/// <summary>
/// Everything kept per recipient of a realm, in one record so that one read and one conditional
/// write cover it: the latest session (for verify by recipient) and the recipient's own budgets
/// (sends, failed verifies) as logs of when each event happened, so that a budget is counted over
/// a sliding window no clock boundary can double. The recipient hash is a keyed hash: no address
/// is in it. The fraud guard keeps a number prefix's counts in a ledger of its own (the prefix in
/// place of the hash), in fixed <see cref="Windows"/>, with the time its breaker stays open.
/// </summary>
public sealed record RecipientLedger(string Realm, string RecipientHash)
{
    public string? LatestSessionId { get; init; }

    /// <summary>The count of each named window, for the window it was counted in.</summary>
    public ImmutableDictionary<string, WindowCount> Windows { get; init; } = ImmutableDictionary<string, WindowCount>.Empty;

    /// <summary>When each logged event happened (Unix milliseconds, oldest first), per log name.</summary>
    public ImmutableDictionary<string, ImmutableArray<long>> Logs { get; init; } = ImmutableDictionary<string, ImmutableArray<long>>.Empty;

    /// <summary>A prefix ledger's open breaker: until when, and why.</summary>
    public DateTimeOffset? BlockedUntil { get; init; }

    public string? BlockReason { get; init; }

    /// <summary>When the ledger may be deleted (<see cref="Retention.RetentionPolicy"/>); set on every write.</summary>
    public DateTimeOffset? RetainUntil { get; init; }

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

    /// <summary>The times logged in <paramref name="log"/> after <paramref name="since"/>, oldest first.</summary>
    public IEnumerable<DateTimeOffset> LoggedSince(string log, DateTimeOffset since)
    {
        var after = since.ToUnixTimeMilliseconds();
        return (Logs.TryGetValue(log, out var times) ? times : []).Where(t => t > after).Select(DateTimeOffset.FromUnixTimeMilliseconds);
    }

    /// <summary>
    /// The ledger with <paramref name="at"/> logged in <paramref name="log"/>, keeping only what is
    /// newer than <paramref name="keep"/> before it and at most <paramref name="most"/> entries (the newest).
    /// </summary>
    public RecipientLedger Log(string log, DateTimeOffset at, TimeSpan keep, int most)
    {
        var oldest = (at - keep).ToUnixTimeMilliseconds();
        var kept = (Logs.TryGetValue(log, out var times) ? times : []).Where(t => t > oldest).Append(at.ToUnixTimeMilliseconds()).Order().TakeLast(Math.Max(1, most));
        return this with { Logs = Logs.SetItem(log, [.. kept]) };
    }

    /// <summary>The ledger with one entry at <paramref name="at"/> taken out of <paramref name="log"/> (a reservation given back).</summary>
    public RecipientLedger Unlog(string log, DateTimeOffset at)
    {
        if (!Logs.TryGetValue(log, out var times) || times.IndexOf(at.ToUnixTimeMilliseconds()) is var index && index < 0)
        {
            return this;
        }

        var rest = times.RemoveAt(index);
        return this with { Logs = rest.IsEmpty ? Logs.Remove(log) : Logs.SetItem(log, rest) };
    }

    /// <summary>The ledger without <paramref name="log"/>.</summary>
    public RecipientLedger ClearLog(string log) => this with { Logs = Logs.Remove(log) };
}

/// <summary>A count and the window it belongs to (the window's length too: a changed setting starts a new count).</summary>
public readonly record struct WindowCount(long Seconds, long Index, int Count)
{
    public bool Matches(RateLimitRule rule, long index) => Seconds == (long)rule.Window.TotalSeconds && Index == index;
}
