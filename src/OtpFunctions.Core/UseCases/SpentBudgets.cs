using System.Collections.Concurrent;

namespace OtpFunctions.Core.UseCases;

/// <summary>
/// The shared failed-verify budgets (a caller's, a key's) found spent, remembered on this instance
/// until their window ends. Those rows are shared by every verify of a realm, so they are charged
/// after a failure instead of being taken before every attempt (a right code never waits on them);
/// the charge that finds one spent records it here, and verifies against it are refused up front
/// meanwhile. Another instance learns it at its own next failure, so a spent budget lets at most
/// the failures already in flight through. Exact per-session attempts and the recipient's windows
/// are unaffected.
/// </summary>
public sealed class SpentBudgets(TimeProvider time)
{
    /// <summary>Beyond this many remembered budgets the expired ones are swept; the memory stays bounded under a flood of addresses.</summary>
    public const int SweepAbove = 10_000;

    private readonly ConcurrentDictionary<string, DateTimeOffset> _until = new(StringComparer.Ordinal);

    /// <summary>How many budgets are remembered (expired ones included until a sweep or a look-up).</summary>
    public int Count => _until.Count;

    /// <summary>How long <paramref name="key"/> stays spent, or null when it is not known to be.</summary>
    public TimeSpan? SpentFor(string key)
    {
        if (!_until.TryGetValue(key, out var until))
        {
            return null;
        }

        var wait = until - time.GetUtcNow();
        if (wait > TimeSpan.Zero)
        {
            return wait;
        }

        _until.TryRemove(new KeyValuePair<string, DateTimeOffset>(key, until));
        return null;
    }

    public void Remember(string key, DateTimeOffset until)
    {
        if (_until.Count >= SweepAbove)
        {
            var now = time.GetUtcNow();
            foreach (var (expiredKey, end) in _until.Where(e => e.Value <= now))
            {
                _until.TryRemove(new KeyValuePair<string, DateTimeOffset>(expiredKey, end));
            }

            if (_until.Count >= SweepAbove * 10)
            {
                // Still a flood: this one is not remembered, and its next charge finds it spent again.
                return;
            }
        }

        _until[key] = until;
    }
}
