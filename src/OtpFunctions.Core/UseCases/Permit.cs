using System.Globalization;
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
    /// The shared windows a send (or resend) takes before it happens: the recipient IP's, each
    /// bucket of each client limit it names (by its value's keyed hash), the daily cap of each
    /// destination country when one is set, then the quota (live keys only: sandbox sends cost nothing).
    /// </summary>
    /// <param name="limits">The limits this send is checked against (<see cref="OtpLimits.LoweredBy"/>); the application's by default.</param>
    public static IEnumerable<Permit> ForSend(ApplicationAccess caller, string? ipHash, IEnumerable<(ClientLimit Limit, string ValueHash)>? clientKeys = null,
        IEnumerable<string>? countries = null, OtpLimits? limits = null)
    {
        var app = caller.Application;
        limits ??= app.Limits;
        if (ipHash is not null)
        {
            yield return new("sends-per-ip", RateLimitKeys.SendsFromIp(caller.Realm, ipHash), limits.SendsPerIp, RateLimited);
        }

        foreach (var (limit, valueHash) in clientKeys ?? [])
        {
            foreach (var bucket in limit.Buckets)
            {
                // One metric label for every client limit: their names are the application's, not a bounded set.
                yield return new("client-limit", RateLimitKeys.ClientLimit(caller.Realm, limit.Id, bucket.Id, valueHash), bucket.Rule,
                    wait => (OtpError.Of(ErrorCatalogue.RateLimited, $"The client limit '{limit.Name}' allows {bucket.Max} sends per {bucket.IntervalSeconds} s for one value. {ErrorCatalogue.RateLimited.Next}") with { RetryAfter = wait })
                        .LimitedBy("client:" + limit.Name, bucket.Rule));
            }
        }

        foreach (var country in (countries ?? []).Distinct(StringComparer.Ordinal))
        {
            if (limits.CountryCap(country) is { } countryCap)
            {
                yield return new("sends-per-country-daily", RateLimitKeys.SendsToCountry(caller.Realm, country), countryCap,
                    wait => (OtpError.Of(ErrorCatalogue.RateLimited, string.Create(CultureInfo.InvariantCulture,
                        $"The limit 'sends-per-country-daily' ({countryCap.Limit} per {(long)countryCap.Window.TotalSeconds} s) is full for numbers in {country}. {ErrorCatalogue.RateLimited.Next}")) with { RetryAfter = wait }));
            }
        }

        if (!caller.Sandbox && app.SendQuota is { } quota)
        {
            yield return new("quota", RateLimitKeys.Quota(app.Id), quota,
                _ => OtpError.Of(ErrorCatalogue.InsufficientQuota, $"The quota of {quota.Limit} sends per {quota.Window} is spent."));
        }
    }

    /// <summary>
    /// The shared failed-verify budgets a wrong code is counted in: the caller's (when its address
    /// is known) and the key's. They watch for guessing across recipients and raise an alarm when
    /// filled; they never refuse (<see cref="Budgets.CountFailureAsync"/>).
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

/// <summary>
/// A budget kept in the recipient's own <see cref="RecipientLedger"/>, counted over a sliding
/// window of its event log: at most <see cref="RateLimitRule.Limit"/> events in any span of
/// <see cref="RateLimitRule.Window"/>, wherever the clock's boundaries fall. Every per-recipient
/// limit is named here.
/// </summary>
public sealed record RecipientWindow(string Name, string Log, Func<OtpLimits, RateLimitRule> RuleOf, Func<TimeSpan, OtpError> Refusal)
{
    /// <summary>Sends to the recipient: first sends and resends alike.</summary>
    public static RecipientWindow Sends { get; } = new("sends-per-recipient", "sends", l => l.SendsPerRecipient, Permit.RateLimited);

    /// <summary>The daily cap: the same sends, over any 24 hours.</summary>
    public static RecipientWindow SendsDaily { get; } = new("sends-per-recipient-daily", "sends", l => l.SendsPerRecipientDaily, Permit.RateLimited);

    /// <summary>Every window a send to a recipient takes a place in (one log: a send is recorded once).</summary>
    public static IReadOnlyList<RecipientWindow> SendWindows { get; } = [Sends, SendsDaily];

    /// <summary>
    /// Guesses at the recipient's codes, across sessions and resends: a new code never resets
    /// them (NIST SP 800-63B); a success clears them. Each is reserved before its code is
    /// compared. A burst blocks for minutes, a persistent guesser for the hour.
    /// </summary>
    public static IReadOnlyList<RecipientWindow> FailedVerifies { get; } =
    [
        new("failed-verifies-per-recipient-burst", GuessLog, l => l.FailedVerifiesPerRecipientBurst, Permit.TooManyAttempts),
        new("failed-verifies-per-recipient", GuessLog, l => l.FailedVerifiesPerRecipient, Permit.TooManyAttempts),
    ];

    /// <summary>The log both failed-verify windows count: when each guess took its place.</summary>
    public const string GuessLog = "failed-verifies";

    /// <summary>The events counted now: those of the last <see cref="RateLimitRule.Window"/>.</summary>
    public int Count(RecipientLedger ledger, OtpLimits limits, DateTimeOffset now) =>
        ledger.LoggedSince(Log, now - RuleOf(limits).Window).Count();

    /// <summary>How long until the window has room again (its oldest counted event leaves it), or null when it has room now.</summary>
    public TimeSpan? FullFor(RecipientLedger ledger, OtpLimits limits, DateTimeOffset now)
    {
        var rule = RuleOf(limits);
        var counted = ledger.LoggedSince(Log, now - rule.Window).ToList();
        if (counted.Count < rule.Limit)
        {
            return null;
        }

        // Every counted event is later than now - Window, so the wait is always positive.
        return counted[counted.Count - rule.Limit] + rule.Window - now;
    }

    /// <summary>
    /// The ledger with one event at <paramref name="now"/> in the log <paramref name="windows"/>
    /// share, keeping as much of it as the longest and largest of them reads.
    /// </summary>
    public static RecipientLedger Record(IReadOnlyList<RecipientWindow> windows, RecipientLedger ledger, OtpLimits limits, DateTimeOffset now) =>
        ledger.Log(windows[0].Log, now, windows.Max(w => w.RuleOf(limits).Window), windows.Max(w => w.RuleOf(limits).Limit));
}
