namespace OtpFunctions.Core.Limits;

/// <summary>
/// Names of the shared counters (a recipient's own are in its <see cref="RecipientLedger"/>);
/// subjects are keyed hashes, never addresses. Per-IP and per-key counters belong to a realm
/// (<see cref="Applications.Realms"/>); the quota to the application.
/// </summary>
public static class RateLimitKeys
{
    public static string SendsFromIp(string realm, string ipHash) => $"send-ip:{realm}:{ipHash}";

    public static string FailedVerifiesFromCaller(string realm, string ipHash) => $"fail-ip:{realm}:{ipHash}";

    public static string FailedVerifiesWithKey(string realm) => $"fail-key:{realm}";

    /// <summary>Sends to one destination country (ISO 3166-1 alpha-2): not a person, so not hashed.</summary>
    public static string SendsToCountry(string realm, string country) => $"send-country:{realm}:{country}";

    public static string Quota(string applicationId) => $"quota:{applicationId}";

    /// <summary>One bucket of a client limit for one value (its keyed hash).</summary>
    public static string ClientLimit(string realm, string limitId, string bucketId, string valueHash) => $"client:{realm}:{limitId}:{bucketId}:{valueHash}";
}
