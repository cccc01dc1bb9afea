using System.Collections.Concurrent;
using OtpFunctions.Core.Limits;
using OtpFunctions.Core.Ports;

namespace OtpFunctions.Storage.InMemory;

/// <summary>Fixed-window counters in memory; each window's counter is changed under its own lock.</summary>
public sealed class InMemoryRateLimitWindows(TimeProvider time) : IRateLimitWindows, IExpiredData
{
    private readonly ConcurrentDictionary<string, Counter> _counters = new(StringComparer.Ordinal);

    public Task<RateLimitDecision> TryAcquireAsync(string key, RateLimitRule rule, CancellationToken cancellationToken)
    {
        var index = rule.WindowIndex(time.GetUtcNow());
        var counter = _counters.GetOrAdd(WindowKey(key, rule, index), _ => new Counter { WindowEnd = rule.WindowEnd(index) });
        lock (counter)
        {
            var allowed = counter.Count < rule.Limit;
            if (allowed)
            {
                counter.Count++;
            }

            return Task.FromResult(new RateLimitDecision(key, rule, index, allowed, counter.Count));
        }
    }

    public Task ReleaseAsync(RateLimitDecision lease, CancellationToken cancellationToken)
    {
        if (lease.Allowed && _counters.TryGetValue(WindowKey(lease.Key, lease.Rule, lease.WindowIndex), out var counter))
        {
            lock (counter)
            {
                counter.Count = Math.Max(0, counter.Count - 1);
            }
        }

        return Task.CompletedTask;
    }

    public Task ResetAsync(string key, RateLimitRule rule, CancellationToken cancellationToken)
    {
        _counters.TryRemove(WindowKey(key, rule, rule.WindowIndex(time.GetUtcNow())), out _);
        return Task.CompletedTask;
    }

    /// <summary>The current count, for tests.</summary>
    public int CountOf(string key, RateLimitRule rule) =>
        _counters.TryGetValue(WindowKey(key, rule, rule.WindowIndex(time.GetUtcNow())), out var counter) ? counter.Count : 0;

    private static string WindowKey(string key, RateLimitRule rule, long index) => $"{key}|{(long)rule.Window.TotalSeconds}|{index}";

    public Task<IReadOnlyDictionary<string, int>> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var deleted = _counters.Count(e => e.Value.WindowEnd <= now && _counters.TryRemove(e));
        return Task.FromResult<IReadOnlyDictionary<string, int>>(new Dictionary<string, int>(StringComparer.Ordinal) { ["limit windows"] = deleted });
    }

    public int Count => _counters.Count;

    /// <summary>Every window's count by its key (the limit's key, window length and index), for tests.</summary>
    public IReadOnlyDictionary<string, int> Counts => _counters.ToDictionary(c => c.Key, c => c.Value.Count, StringComparer.Ordinal);

    private sealed class Counter
    {
        public int Count { get; set; }

        public DateTimeOffset WindowEnd { get; init; }
    }
}
