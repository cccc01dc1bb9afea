namespace OtpFunctions.Core.Limits;

/// <summary>The answer of a rate-limit window. An allowed decision is also the lease to give a permit back.</summary>
public sealed record RateLimitDecision(string Key, RateLimitRule Rule, long WindowIndex, bool Allowed, int Count)
{
    public TimeSpan RetryAfter(DateTimeOffset now)
    {
        var wait = Rule.WindowEnd(WindowIndex) - now;
        return wait > TimeSpan.Zero ? wait : TimeSpan.FromSeconds(1);
    }
}
