namespace OtpFunctions.Core.UseCases;

public sealed record OtpServiceOptions
{
    /// <summary>How long an Idempotency-Key is remembered (API.md: 24 h).</summary>
    public TimeSpan IdempotencyRetention { get; init; } = TimeSpan.FromHours(24);

    /// <summary>How long a claimed key blocks a retry before a crashed request's claim lapses.</summary>
    public TimeSpan IdempotencyLease { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// A verify by phone or email answers no sooner than this, found or not: the lookup of an
    /// unknown recipient is cheaper than checking a code, and the difference would tell which
    /// recipients have a pending code. It must exceed the slowest such verify to hide it.
    /// </summary>
    public TimeSpan VerifyByRecipientMinimumDuration { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The longest code a verification reads; longer input is wrong without further work.</summary>
    public int MaxTypedCodeLength { get; init; } = 64;
}
