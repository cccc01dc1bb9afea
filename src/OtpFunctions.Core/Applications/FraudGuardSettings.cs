using OtpFunctions.Core.Limits;

namespace OtpFunctions.Core.Applications;

/// <summary>
/// An application's fraud guard: where codes may go and on which channels, which numbers are
/// always or never served, and the two per-prefix breakers against SMS pumping (a burst of sends
/// to one number range; sends to a range that almost never verify).
/// </summary>
public sealed record FraudGuardSettings
{
    /// <summary>
    /// Country (ISO 3166-1) → the channels allowed there; <c>*</c> for every other country. Empty:
    /// every country, every channel. A country left out (with no <c>*</c>) is refused.
    /// </summary>
    public Dictionary<string, List<string>> Countries { get; init; } = [];

    /// <summary>Premium-rate numbers and satellite networks are refused unless this is set.</summary>
    public bool AllowPremiumNumbers { get; init; }

    /// <summary>E.164 numbers or prefixes always served (past geo rules and breakers, not past limits).</summary>
    public List<string> AllowList { get; init; } = [];

    /// <summary>E.164 numbers or prefixes never served.</summary>
    public List<string> DenyList { get; init; } = [];

    /// <summary>Sends to one prefix per window before its breaker opens.</summary>
    public RateLimitRule PrefixVelocity { get; init; } = new(100, TimeSpan.FromMinutes(10));

    /// <summary>The conversion breaker looks at sends and approvals per prefix over this window…</summary>
    public TimeSpan ConversionWindow { get; init; } = TimeSpan.FromHours(1);

    /// <summary>…once a prefix has this many sends in it…</summary>
    public int ConversionMinSends { get; init; } = 50;

    /// <summary>…and opens when fewer than this share of them were verified.</summary>
    public double ConversionFloor { get; init; } = 0.1;

    /// <summary>
    /// The most sends one caller (a send's <c>recipient_ip</c>) adds to a prefix's conversion
    /// count in a window: pausing a prefix for everyone takes many callers, not one. Sends
    /// without a <c>recipient_ip</c> are counted in full.
    /// </summary>
    public int ConversionSendsPerCaller { get; init; } = 5;

    /// <summary>How long an open breaker stays open.</summary>
    public TimeSpan CoolOff { get; init; } = TimeSpan.FromMinutes(30);

    public static FraudGuardSettings Default { get; } = new();
}
