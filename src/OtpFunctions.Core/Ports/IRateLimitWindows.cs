using OtpFunctions.Core.Limits;

namespace OtpFunctions.Core.Ports;

/// <summary>
/// Shared windows (<see cref="SlidingCount"/>s, one per key and window length), exact under
/// concurrency: each acquire and release is one conditional change of the stored count.
/// </summary>
public interface IRateLimitWindows
{
    /// <summary>Takes one permit if the window leaves one (<see cref="SlidingCount.TryTake"/>).</summary>
    Task<RateLimitDecision> TryAcquireAsync(string key, RateLimitRule rule, CancellationToken cancellationToken);

    /// <summary>Gives back the permit an allowed decision took (the work it guarded did not happen).</summary>
    Task ReleaseAsync(RateLimitDecision lease, CancellationToken cancellationToken);
}
