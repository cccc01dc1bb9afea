namespace OtpFunctions.Core.Limits;

/// <summary>
/// The abuse limits, with the defaults API.md promises. Failed verifies are counted per
/// recipient across sessions and resends: a new code never resets them (NIST SP 800-63B);
/// a success clears them.
/// </summary>
public sealed record OtpLimits
{
    public RateLimitRule SendsPerRecipient { get; init; } = new(5, TimeSpan.FromMinutes(10));
    public RateLimitRule SendsPerIp { get; init; } = new(20, TimeSpan.FromHours(1));
    public RateLimitRule FailedVerifiesPerRecipient { get; init; } = new(10, TimeSpan.FromHours(1));
    public int ResendsPerSession { get; init; } = 3;
    public TimeSpan ResendCooldown { get; init; } = TimeSpan.FromSeconds(30);

    public static OtpLimits Default { get; } = new();
}
