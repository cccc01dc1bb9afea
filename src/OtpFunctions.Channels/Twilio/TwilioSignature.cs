using System.Security.Cryptography;
using System.Text;

namespace OtpFunctions.Channels.Twilio;

/// <summary>
/// <c>X-Twilio-Signature</c>: base64 HMAC-SHA1, keyed with the auth token, of the full URL
/// Twilio called followed by every POST parameter, sorted by name, as name then value.
/// </summary>
public static class TwilioSignature
{
    public const string Header = "X-Twilio-Signature";

    public static string Compute(string authToken, string url, IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var data = new StringBuilder(url);
        foreach (var (name, value) in parameters.OrderBy(p => p.Key, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal))
        {
            data.Append(name).Append(value);
        }

#pragma warning disable CA5350 // Twilio defines the signature as HMAC-SHA1; we verify, we do not choose.
        return Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(data.ToString())));
#pragma warning restore CA5350
    }

    public static bool IsValid(string authToken, string url, IEnumerable<KeyValuePair<string, string>> parameters, string? signature) =>
        !string.IsNullOrEmpty(signature) &&
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Compute(authToken, url, parameters)), Encoding.ASCII.GetBytes(signature));

    /// <summary>Twilio's delivery statuses in ours; null for statuses that say nothing new (accepted, scheduled…).</summary>
    public static Core.Sessions.DeliveryStatus? MapStatus(string? messageOrCallStatus) => messageOrCallStatus switch
    {
        "queued" or "sending" => Core.Sessions.DeliveryStatus.Queued,
        "sent" or "ringing" or "in-progress" => Core.Sessions.DeliveryStatus.Sent,
        "delivered" or "read" or "completed" => Core.Sessions.DeliveryStatus.Delivered,
        "undelivered" or "no-answer" or "busy" or "canceled" => Core.Sessions.DeliveryStatus.Undelivered,
        "failed" => Core.Sessions.DeliveryStatus.Failed,
        _ => null,
    };
}
