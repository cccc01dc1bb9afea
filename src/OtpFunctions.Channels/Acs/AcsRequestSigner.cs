using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace OtpFunctions.Channels.Acs;

/// <summary>
/// ACS HMAC authentication: <c>x-ms-date</c>, <c>x-ms-content-sha256</c> (base64 SHA-256 of the
/// body) and <c>Authorization: HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&amp;Signature=…</c>
/// over <c>VERB\npathAndQuery\ndate;host;contentHash</c>, keyed with the decoded access key.
/// </summary>
public static class AcsRequestSigner
{
    public static void Sign(HttpRequestMessage request, byte[] body, string accessKey, DateTimeOffset now)
    {
        var uri = request.RequestUri!;
        var date = now.ToString("r", CultureInfo.InvariantCulture);
        var contentHash = Convert.ToBase64String(SHA256.HashData(body));
        var stringToSign = $"{request.Method.Method}\n{uri.PathAndQuery}\n{date};{uri.Authority};{contentHash}";
        var signature = Convert.ToBase64String(HMACSHA256.HashData(Convert.FromBase64String(accessKey), Encoding.UTF8.GetBytes(stringToSign)));
        request.Headers.TryAddWithoutValidation("x-ms-date", date);
        request.Headers.TryAddWithoutValidation("x-ms-content-sha256", contentHash);
        request.Headers.TryAddWithoutValidation("Authorization", $"HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature={signature}");
    }
}
