namespace OtpFunctions.Core.Limits;

/// <summary>
/// The answer of a shared window. An allowed decision is also the lease to give its permit back
/// (<see cref="Slice"/> is where it was counted). <see cref="FreesAt"/>: for a refusal, when a
/// permit frees up; for a permit, when it stops counting.
/// </summary>
public sealed record RateLimitDecision(string Key, RateLimitRule Rule, long Slice, bool Allowed, int Count, DateTimeOffset FreesAt)
{
    public TimeSpan RetryAfter(DateTimeOffset now)
    {
        var wait = FreesAt - now;
        return wait > TimeSpan.Zero ? wait : TimeSpan.FromSeconds(1);
    }
}
