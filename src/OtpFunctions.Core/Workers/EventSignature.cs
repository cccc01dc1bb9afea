using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace OtpFunctions.Core.Workers;

/// <summary><c>X-Otp-Signature: t=&lt;unix&gt;,v1=&lt;hex HMAC-SHA256(secret, t + "." + body)&gt;</c>, as API.md defines it.</summary>
/// <remarks>
/// The client package (OtpFunctions.Client) compiles this same file in, internal there, so the
/// service and its clients cannot disagree on the scheme.
/// </remarks>
#if OTP_CLIENT
internal
#else
public
#endif
static class EventSignature
{
    public const string Header = "X-Otp-Signature";

    /// <summary>The last second <see cref="DateTimeOffset"/> can hold; a larger <c>t</c> is no time at all.</summary>
    private const long MaxUnixSeconds = 253_402_300_799;

    public static string Sign(string secret, DateTimeOffset at, string body)
    {
        var t = at.ToUnixTimeSeconds();
        return $"t={t.ToString(CultureInfo.InvariantCulture)},v1={Mac(secret, t, body)}";
    }

    /// <summary>What a client does: recompute, compare in fixed time, refuse stale timestamps.</summary>
    public static bool Verify(string secret, string header, string body, DateTimeOffset now, TimeSpan tolerance) =>
        Check(secret, header, body, now, tolerance) is not null;

    /// <summary>
    /// The signature in one canonical spelling (<c>t.v1</c>, lower-case hex) when it is genuine and
    /// fresh, else null. Spacing, order and other schemes (<c>v0=…</c>) do not change it, so a replay
    /// guard compares this, never the raw header. A repeated <c>t</c> or <c>v1</c> is unreadable.
    /// </summary>
    public static string? Check(string secret, string header, string body, DateTimeOffset now, TimeSpan tolerance)
    {
        long? t = null;
        string? v1 = null;
        foreach (var part in header.Split(','))
        {
            var pair = part.Split('=', 2);
            if (pair.Length != 2)
            {
                continue;
            }

            switch (pair[0].Trim())
            {
                case "t" when t is null && long.TryParse(pair[1].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var unix) && unix <= MaxUnixSeconds:
                    t = unix;
                    break;
                case "t":
                    return null;
                case "v1" when v1 is null:
                    v1 = pair[1].Trim().ToLowerInvariant();
                    break;
                case "v1":
                    return null;
            }
        }

        if (t is not { } seconds || v1 is null || (now - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > tolerance)
        {
            return null;
        }

        var genuine = CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Mac(secret, seconds, body)), Encoding.ASCII.GetBytes(v1));
        return genuine ? $"{seconds.ToString(CultureInfo.InvariantCulture)}.{v1}" : null;
    }

    private static string Mac(string secret, long t, string body) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(t.ToString(CultureInfo.InvariantCulture) + "." + body)));
}
