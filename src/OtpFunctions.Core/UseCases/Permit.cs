using OtpFunctions.Core.Applications;
using OtpFunctions.Core.Errors;
using OtpFunctions.Core.Limits;

namespace OtpFunctions.Core.UseCases;

/// <summary>One permit an operation takes from a rate-limit window, and what a refusal tells the client.</summary>
public sealed record Permit(string Name, string Key, RateLimitRule Rule, Func<TimeSpan, OtpError> Refusal)
{
    /// <summary>
    /// A send's permits: each recipient's window, the recipient IP's, then the quota (live keys
    /// only: sandbox sends cost nothing). Every send limit is named here and nowhere else.
    /// </summary>
    public static IEnumerable<Permit> ForSend(ApplicationAccess caller, IEnumerable<string> recipientHashes, string? ipHash)
    {
        var app = caller.Application;
        foreach (var hash in recipientHashes)
        {
            yield return new("sends-per-recipient", RateLimitKeys.SendsToRecipient(caller.Realm, hash), app.Limits.SendsPerRecipient, RateLimited);
        }

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
    /// The failed-verify budgets an attempt spends: the recipient's (burst and hour), the
    /// caller's (when its address is known) and the key's.
    /// </summary>
    public static IEnumerable<Permit> ForVerify(ApplicationAccess caller, string recipientHash, string? callerIpHash)
    {
        var limits = caller.Application.Limits;
        var recipient = RateLimitKeys.FailedVerifies(caller.Realm, recipientHash);
        yield return new("failed-verifies-per-recipient-burst", recipient, limits.FailedVerifiesPerRecipientBurst, TooManyAttempts);
        yield return new("failed-verifies-per-recipient", recipient, limits.FailedVerifiesPerRecipient, TooManyAttempts);
        if (callerIpHash is not null)
        {
            yield return new("failed-verifies-per-caller", RateLimitKeys.FailedVerifiesFromCaller(caller.Realm, callerIpHash), limits.FailedVerifiesPerCaller, TooManyAttempts);
        }

        yield return new("failed-verifies-per-key", RateLimitKeys.FailedVerifiesWithKey(caller.Realm), limits.FailedVerifiesPerKey, TooManyAttempts);
    }

    private static OtpError RateLimited(TimeSpan wait) => OtpError.Of(ErrorCatalogue.RateLimited) with { RetryAfter = wait };

    private static OtpError TooManyAttempts(TimeSpan wait) => OtpError.Of(ErrorCatalogue.TooManyAttempts) with { RetryAfter = wait };
}
