using System.Collections.Concurrent;

namespace OtpFunctions.Core.UseCases;

/// <summary>
/// Things found blocked or alarmed, remembered on this instance until their window ends, so the
/// request path need not read them: the fraud guard's open breakers (sends to them are refused up
/// front) and the shared failed-verify alarms (raised once per window, refusing nobody). Those rows
/// are shared by many requests, so they are written after the fact (a send counted, a failure
/// counted) instead of being read before every request; the write that finds one over its
/// threshold records it here. Another instance learns it at its own next such write, so a breaker
/// lets at most what is already in flight through.
/// </summary>
public sealed class KnownBlocks(TimeProvider time)
{
    /// <summary>Beyond this many remembered blocks the expired ones are swept; the memory stays bounded under a flood of addresses.</summary>
    public const int SweepAbove = 10_000;

    private readonly ConcurrentDictionary<string, (DateTimeOffset Until, string? Reason)> _until = new(StringComparer.Ordinal);

    /// <summary>How many blocks are remembered (expired ones included until a sweep or a look-up).</summary>
    public int Count => _until.Count;

    /// <summary>Nothing is remembered: the usual case, in which a request need not even name what it would look up.</summary>
    public bool IsEmpty => _until.IsEmpty;

    /// <summary>How long <paramref name="key"/> stays blocked, or null when it is not known to be.</summary>
    public TimeSpan? SpentFor(string key) => BlockOf(key)?.Wait;

    /// <summary>How long <paramref name="key"/> stays blocked and why, or null when it is not known to be.</summary>
    public (TimeSpan Wait, string? Reason)? BlockOf(string key)
    {
        if (!_until.TryGetValue(key, out var block))
        {
            return null;
        }

        var wait = block.Until - time.GetUtcNow();
        if (wait > TimeSpan.Zero)
        {
            return (wait, block.Reason);
        }

        _until.TryRemove(new KeyValuePair<string, (DateTimeOffset, string?)>(key, block));
        return null;
    }

    /// <summary>The blocks open now whose key starts with <paramref name="keyPrefix"/>: the rest of the key, until when and why.</summary>
    public IReadOnlyList<(string Key, DateTimeOffset Until, string? Reason)> Open(string keyPrefix)
    {
        var now = time.GetUtcNow();
        return [.. _until.Where(e => e.Key.StartsWith(keyPrefix, StringComparison.Ordinal) && e.Value.Until > now)
            .Select(e => (e.Key[keyPrefix.Length..], e.Value.Until, e.Value.Reason))
            .OrderBy(e => e.Item1, StringComparer.Ordinal)];
    }

    /// <summary>How many blocks whose key starts with <paramref name="keyPrefix"/> are open now.</summary>
    public int CountOpen(string keyPrefix)
    {
        var now = time.GetUtcNow();
        return _until.Count(e => e.Key.StartsWith(keyPrefix, StringComparison.Ordinal) && e.Value.Until > now);
    }

    /// <summary>The most blocks remembered at once: under a flood of addresses beyond it, a new one is not remembered.</summary>
    public const int MostRemembered = SweepAbove * 10;

    // The count at which the next sweep runs: a sweep is a full scan, so it runs again only after
    // SweepAbove more have been remembered (amortised: a flood cannot make every call a scan).
    private int _sweepAt = SweepAbove;
    private int _sweeps;

    /// <summary>How many full scans for expired blocks have run.</summary>
    public int Sweeps => Volatile.Read(ref _sweeps);

    public void Remember(string key, DateTimeOffset until, string? reason = null)
    {
        if (_until.Count >= Volatile.Read(ref _sweepAt))
        {
            var now = time.GetUtcNow();
            foreach (var expired in _until.Where(e => e.Value.Until <= now))
            {
                _until.TryRemove(expired);
            }

            Volatile.Write(ref _sweepAt, Math.Max(SweepAbove, _until.Count + SweepAbove));
            Interlocked.Increment(ref _sweeps);
        }

        if (_until.Count >= MostRemembered && !_until.ContainsKey(key))
        {
            // Still a flood: this one is not remembered, and its next charge finds it over again.
            return;
        }

        _until[key] = (until, reason);
    }
}
