using System.Collections.Concurrent;
using OtpFunctions.Core.Limits;
using OtpFunctions.Core.Ports;

namespace OtpFunctions.Storage.InMemory;

/// <summary>Shared windows in memory; each window's count is changed under its own lock.</summary>
public sealed class InMemoryRateLimitWindows(TimeProvider time) : IRateLimitWindows, IExpiredData
{
    private readonly ConcurrentDictionary<string, Counter> _counters = new(StringComparer.Ordinal);

    public Task<RateLimitDecision> TryAcquireAsync(string key, RateLimitRule rule, CancellationToken cancellationToken)
    {
        while (true)
        {
            var counter = _counters.GetOrAdd(WindowKey(key, rule), _ => new Counter(rule));
            lock (counter.Gate)
            {
                // A counter the sweep removed after this found it: take the permit in a fresh one.
                if (!counter.Removed)
                {
                    var (decision, after) = counter.Count.TryTake(key, rule, time.GetUtcNow());
                    counter.Count = after ?? counter.Count;
                    return Task.FromResult(decision);
                }
            }
        }
    }

    public Task ReleaseAsync(RateLimitDecision lease, CancellationToken cancellationToken)
    {
        if (_counters.TryGetValue(WindowKey(lease.Key, lease.Rule), out var counter))
        {
            lock (counter.Gate)
            {
                counter.Count = counter.Count.GiveBack(lease) ?? counter.Count;
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>The count now, for tests.</summary>
    public int CountOf(string key, RateLimitRule rule) =>
        _counters.TryGetValue(WindowKey(key, rule), out var counter) ? counter.Total(time.GetUtcNow()) : 0;

    private static string WindowKey(string key, RateLimitRule rule) => $"{key}|{(long)rule.Window.TotalMilliseconds}";

    public Task<IReadOnlyDictionary<string, int>> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var deleted = _counters.Count(e => e.Value.RemoveIfExpired(now) && _counters.TryRemove(e));
        return Task.FromResult<IReadOnlyDictionary<string, int>>(new Dictionary<string, int>(StringComparer.Ordinal) { ["limit windows"] = deleted });
    }

    public int Count => _counters.Count;

    /// <summary>Every window's count now by its key (the limit's key and window length), for tests.</summary>
    public IReadOnlyDictionary<string, int> Counts => _counters.ToDictionary(c => c.Key, c => c.Value.Total(time.GetUtcNow()), StringComparer.Ordinal);

    private sealed class Counter(RateLimitRule rule)
    {
        public Lock Gate { get; } = new();

        public SlidingCount Count { get; set; } = SlidingCount.Empty;

        public bool Removed { get; private set; }

        public int Total(DateTimeOffset now)
        {
            lock (Gate)
            {
                return Count.Total(rule, now);
            }
        }

        /// <summary>Marks the counter removed when nothing in it counts any more; an acquire that finds it removed starts a new one.</summary>
        public bool RemoveIfExpired(DateTimeOffset now)
        {
            lock (Gate)
            {
                Removed = Count.CountsUntil(rule) <= now;
                return Removed;
            }
        }
    }
}
