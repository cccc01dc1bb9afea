using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace OtpFunctions.Core.Workers;

/// <summary><c>X-Otp-Signature: t=&lt;unix&gt;,v1=&lt;hex HMAC-SHA256(secret, t + "." + body)&gt;</c>, as API.md defines it.</summary>
public static class EventSignature
{
    public const string Header = "X-Otp-Signature";

    public static string Sign(string secret, DateTimeOffset at, string body)
    {
        var t = at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(t + "." + body));
        return $"t={t},v1={Convert.ToHexStringLower(mac)}";
    }

    /// <summary>What a client does: recompute, compare in fixed time, refuse stale timestamps.</summary>
    public static bool Verify(string secret, string header, string body, DateTimeOffset now, TimeSpan tolerance)
    {
        var parts = header.Split(',').Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0].Trim(), p => p[1].Trim());
        if (!parts.TryGetValue("t", out var t) || !parts.TryGetValue("v1", out var v1) ||
            !long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var unix) ||
            Math.Abs((now - DateTimeOffset.FromUnixTimeSeconds(unix)).TotalSeconds) > tolerance.TotalSeconds)
        {
            return false;
        }

        var expected = Sign(secret, DateTimeOffset.FromUnixTimeSeconds(unix), body);
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes($"t={t},v1={v1}"));
    }
}
