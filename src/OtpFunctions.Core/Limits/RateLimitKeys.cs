namespace OtpFunctions.Core.Limits;

/// <summary>Names of the counters; subjects are keyed hashes, never addresses.</summary>
public static class RateLimitKeys
{
    public static string SendsToRecipient(string applicationId, string recipientHash) => $"send-rcpt:{applicationId}:{recipientHash}";

    public static string SendsFromIp(string applicationId, string ipHash) => $"send-ip:{applicationId}:{ipHash}";

    public static string FailedVerifies(string applicationId, string recipientHash) => $"fail-rcpt:{applicationId}:{recipientHash}";

    public static string Quota(string applicationId) => $"quota:{applicationId}";
}
