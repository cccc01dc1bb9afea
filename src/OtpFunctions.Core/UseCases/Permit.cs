using OtpFunctions.Core.Applications;
using OtpFunctions.Core.Errors;
using OtpFunctions.Core.Limits;

namespace OtpFunctions.Core.UseCases;

/// <summary>
/// One permit from a window shared by many recipients (an IP's, the quota, a caller's, a key's),
/// and what a refusal tells the client. Every shared limit is named here and nowhere else; the
/// recipient's own windows are <see cref="RecipientWindow"/>s.
/// </summary>
public sealed record Permit(string Name, string Key, RateLimitRule Rule, Func<TimeSpan, OtpError> Refusal)
{
    /// <summary>
    /// The shared windows a send (or resend) takes before it happens: the recipient IP's, then the
    /// quota (live keys only: sandbox sends cost nothing).
    /// </summary>
    public static IEnumerable<Permit> ForSend(ApplicationAccess caller, string? ipHash)
    {
        var app = caller.Application;
        if (ipHash is not null)
        {
            yield return new("sends-per-ip", RateLimitKeys.SendsFromIp(caller.Realm, ipHash), app.Limits.SendsPerIp, RateLimited);
        }

        if (!caller.Sandbox && app.SendQuota is { } quota)
        {
            yield return new("quota", RateLimitKeys.Quota(app.Id), quota,
                _ => OtpError.Of(ErrorCatalogue.InsufficientQuota, $"The quota of {quota.Limit} sends per {quota.Window} is spent."));
        }
    }

    /// <summary>
    /// The shared failed-verify budgets a wrong code is charged to: the caller's (when its address
    /// is known) and the key's. They are charged after a failure, not taken before every attempt
    /// (<see cref="KnownBlocks"/>).
    /// </summary>
    public static IEnumerable<Permit> ForFailedVerify(ApplicationAccess caller, string? callerIpHash)
    {
        var limits = caller.Application.Limits;
        if (callerIpHash is not null)
        {
            yield return new("failed-verifies-per-caller", RateLimitKeys.FailedVerifiesFromCaller(caller.Realm, callerIpHash), limits.FailedVerifiesPerCaller, TooManyAttempts);
        }

        yield return new("failed-verifies-per-key", RateLimitKeys.FailedVerifiesWithKey(caller.Realm), limits.FailedVerifiesPerKey, TooManyAttempts);
    }

    internal static OtpError RateLimited(TimeSpan wait) => OtpError.Of(ErrorCatalogue.RateLimited) with { RetryAfter = wait };

    internal static OtpError TooManyAttempts(TimeSpan wait) => OtpError.Of(ErrorCatalogue.TooManyAttempts) with { RetryAfter = wait };
}

/// <summary>A window kept in the recipient's own <see cref="RecipientLedger"/>. Every per-recipient limit is named here.</summary>
public sealed record RecipientWindow(string Name, Func<OtpLimits, RateLimitRule> RuleOf, Func<TimeSpan, OtpError> Refusal)
{
    /// <summary>Sends to the recipient: first sends and resends alike.</summary>
    public static RecipientWindow Sends { get; } = new("sends-per-recipient", l => l.SendsPerRecipient, Permit.RateLimited);

    /// <summary>
    /// Failed verifies against the recipient, across sessions and resends: a new code never resets
    /// them (NIST SP 800-63B); a success clears them. A burst blocks for minutes, a persistent guesser for the hour.
    /// </summary>
    public static IReadOnlyList<RecipientWindow> FailedVerifies { get; } =
    [
        new("failed-verifies-per-recipient-burst", l => l.FailedVerifiesPerRecipientBurst, Permit.TooManyAttempts),
        new("failed-verifies-per-recipient", l => l.FailedVerifiesPerRecipient, Permit.TooManyAttempts),
    ];

    /// <summary>How long until the window has room again, or null when it has room now.</summary>
    public TimeSpan? FullFor(RecipientLedger ledger, OtpLimits limits, DateTimeOffset now)
    {
        var rule = RuleOf(limits);
        if (ledger.Count(Name, rule, now) < rule.Limit)
        {
            return null;
        }

        var wait = rule.WindowEnd(rule.WindowIndex(now)) - now;
        return wait > TimeSpan.Zero ? wait : TimeSpan.FromSeconds(1);
    }
}
