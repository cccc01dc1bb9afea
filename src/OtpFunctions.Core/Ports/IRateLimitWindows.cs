using OtpFunctions.Core.Limits;

namespace OtpFunctions.Core.Ports;

/// <summary>Fixed-window counters, exact under concurrency.</summary>
public interface IRateLimitWindows
{
    /// <summary>Takes one permit from the current window if one is left.</summary>
    Task<RateLimitDecision> TryAcquireAsync(string key, RateLimitRule rule, CancellationToken cancellationToken);

    /// <summary>Gives back the permit an allowed decision took (the work it guarded did not happen).</summary>
    Task ReleaseAsync(RateLimitDecision lease, CancellationToken cancellationToken);

    /// <summary>Forgets the current window's count (a successful verification clears the failures).</summary>
    Task ResetAsync(string key, RateLimitRule rule, CancellationToken cancellationToken);
}
