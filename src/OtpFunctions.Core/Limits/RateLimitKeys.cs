namespace OtpFunctions.Core.Limits;

/// <summary>
/// Names of the counters; subjects are keyed hashes, never addresses. Per-recipient and per-IP
/// counters belong to a realm (<see cref="Applications.Realms"/>); the quota to the application.
/// </summary>
public static class RateLimitKeys
{
    public static string SendsToRecipient(string realm, string recipientHash) => $"send-rcpt:{realm}:{recipientHash}";

    public static string SendsFromIp(string realm, string ipHash) => $"send-ip:{realm}:{ipHash}";

    public static string FailedVerifies(string realm, string recipientHash) => $"fail-rcpt:{realm}:{recipientHash}";

    public static string FailedVerifiesFromCaller(string realm, string ipHash) => $"fail-ip:{realm}:{ipHash}";

    public static string FailedVerifiesWithKey(string realm) => $"fail-key:{realm}";

    public static string Quota(string applicationId) => $"quota:{applicationId}";
}
