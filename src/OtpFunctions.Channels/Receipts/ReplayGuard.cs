using System.Collections.Concurrent;

namespace OtpFunctions.Channels.Receipts;

/// <summary>
/// Remembers signatures (or token ids) seen within their validity window, so the same signed
/// receipt presented twice is refused as a replay. Per instance: across instances the
/// timestamp window bounds a replay, and applying a receipt twice changes nothing anyway.
/// </summary>
public sealed class ReplayGuard(TimeSpan window)
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _seen = new(StringComparer.Ordinal);

    /// <summary>True the first time a key is seen in its window; false for a replay.</summary>
    public bool FirstUse(string key, DateTimeOffset now)
    {
        if (_seen.Count > 10_000)
        {
            foreach (var (old, at) in _seen)
            {
                if (now - at > window)
                {
                    _seen.TryRemove(old, out _);
                }
            }
        }

        return _seen.TryAdd(key, now) || (now - _seen[key] > window && _seen.TryUpdate(key, now, _seen[key]));
    }
}
