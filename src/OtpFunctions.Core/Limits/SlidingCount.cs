using System.Collections.Immutable;
using System.Globalization;
using System.Text;

namespace OtpFunctions.Core.Limits;

/// <summary>
/// A shared window's count, kept per slice of its rule (<see cref="RateLimitRule.SliceIndex"/>):
/// the slices that count are the current one and the <see cref="RateLimitRule.SlicesBack"/>
/// before it, which together reach at least a whole window back. So no span of the window's
/// length, wherever the clock's boundaries fall, holds more than the limit (a burst straddling a
/// boundary gets one budget, not two); the price is that the oldest slice counts whole, and a
/// permit may be refused up to one slice (a 24th of the window) before it strictly had to be.
/// Stores are dumb: they keep <see cref="Format"/>'s text under a version and this decides.
/// </summary>
public sealed record SlidingCount
{
    public static SlidingCount Empty { get; } = new();

    /// <summary>The count of each slice that may still count, by slice index.</summary>
    public ImmutableSortedDictionary<long, int> Slices { get; init; } = ImmutableSortedDictionary<long, int>.Empty;

    /// <summary>The events that count at <paramref name="now"/>.</summary>
    public int Total(RateLimitRule rule, DateTimeOffset now)
    {
        var oldest = rule.SliceIndex(now) - rule.SlicesBack;
        return Slices.Where(s => s.Key >= oldest).Sum(s => s.Value);
    }

    /// <summary>
    /// Takes one permit at <paramref name="now"/> if the limit leaves one: the decision, and the
    /// count to store (null when refused: nothing changes).
    /// </summary>
    public (RateLimitDecision Decision, SlidingCount? After) TryTake(string key, RateLimitRule rule, DateTimeOffset now)
    {
        var current = rule.SliceIndex(now);
        var oldest = current - rule.SlicesBack;
        var counting = Slices.Where(s => s.Key >= oldest && s.Value > 0).ToList();
        var total = counting.Sum(s => s.Value);
        if (total >= rule.Limit)
        {
            // The first slice to leave the count frees a permit; with nothing counted (a limit
            // below one) nothing ever does, and a window's length is the honest wait.
            var freesAt = counting.Count > 0 ? rule.CountsUntil(counting[0].Key) : now + rule.Window;
            return (new RateLimitDecision(key, rule, current, false, total, freesAt), null);
        }

        var kept = counting.ToImmutableSortedDictionary(s => s.Key, s => s.Value);
        var after = new SlidingCount { Slices = kept.SetItem(current, kept.GetValueOrDefault(current) + 1) };
        return (new RateLimitDecision(key, rule, current, true, total + 1, rule.CountsUntil(current)), after);
    }

    /// <summary>The count with the permit <paramref name="lease"/> took given back (never below zero); null when there is nothing to give back.</summary>
    public SlidingCount? GiveBack(RateLimitDecision lease)
    {
        if (!lease.Allowed || Slices.GetValueOrDefault(lease.Slice) < 1)
        {
            return null;
        }

        var left = Slices[lease.Slice] - 1;
        return new SlidingCount { Slices = left == 0 ? Slices.Remove(lease.Slice) : Slices.SetItem(lease.Slice, left) };
    }

    /// <summary>When nothing in this count counts any more: the row may be deleted then.</summary>
    public DateTimeOffset CountsUntil(RateLimitRule rule) =>
        Slices.IsEmpty ? DateTimeOffset.UnixEpoch : rule.CountsUntil(Slices.Keys.Max());

    /// <summary>The stored form: <c>slice:count</c> pairs, comma-separated.</summary>
    public string Format()
    {
        var text = new StringBuilder();
        foreach (var (slice, count) in Slices)
        {
            text.Append(text.Length == 0 ? "" : ",").Append(slice.ToString(CultureInfo.InvariantCulture)).Append(':').Append(count.ToString(CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }

    /// <summary>A stored form read back; null or empty is an empty count.</summary>
    public static SlidingCount Parse(string? stored) => string.IsNullOrEmpty(stored)
        ? Empty
        : new SlidingCount
        {
            Slices = stored.Split(',').Select(pair => pair.Split(':')).ToImmutableSortedDictionary(
                pair => long.Parse(pair[0], CultureInfo.InvariantCulture), pair => int.Parse(pair[1], CultureInfo.InvariantCulture)),
        };
}
