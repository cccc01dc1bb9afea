using OtpFunctions.Core.Workers;
using StandardWebhooks;

namespace OtpFunctions.Client;

/// <summary>
/// Checks that a client event (a POST to your <c>callback_url</c>) comes from the service: over the
/// raw body, with the application's callback signing secret, in fixed time, refusing stale
/// timestamps. Both schemes an application can choose are read: <c>X-Otp-Signature</c>, and the
/// Standard Webhooks headers (<c>webhook-id</c>, <c>webhook-timestamp</c>, <c>webhook-signature</c>).
/// </summary>
public static class OtpEventVerifier
{
    /// <summary>The X-Otp-Signature header.</summary>
    public const string SignatureHeader = EventSignature.Header;

    /// <summary>How old (or how far ahead) a signature's timestamp may be; Standard Webhooks' libraries allow 5 minutes too.</summary>
    public static readonly TimeSpan DefaultTolerance = TimeSpan.FromMinutes(5);

    /// <param name="secret">The application's callback signing secret (<c>whsec_…</c> for Standard Webhooks).</param>
    /// <param name="headers">The request's headers, by name (any case).</param>
    /// <param name="rawBody">The body exactly as received.</param>
    /// <param name="tolerance">How far the timestamp may be from now; <see cref="DefaultTolerance"/> by default.</param>
    /// <param name="time">The clock; the system's by default.</param>
    public static bool IsGenuine(string secret, IReadOnlyDictionary<string, string> headers, string rawBody, TimeSpan? tolerance = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var byName = new Dictionary<string, string>(headers, StringComparer.OrdinalIgnoreCase);
        var now = (time ?? TimeProvider.System).GetUtcNow();
        if (byName.TryGetValue(SignatureHeader, out var signature))
        {
            return EventSignature.Verify(secret, signature, rawBody, now, tolerance ?? DefaultTolerance);
        }

        if (!byName.TryGetValue("webhook-id", out var id) || !byName.TryGetValue("webhook-timestamp", out var timestamp) || !byName.TryGetValue("webhook-signature", out var signatures)
            || !long.TryParse(timestamp, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
            || Math.Abs(now.ToUnixTimeSeconds() - seconds) > (tolerance ?? DefaultTolerance).TotalSeconds)
        {
            return false;
        }

        // The library checks the signature; the freshness is checked above against this clock, so a test clock works too.
        StandardWebhook webhook;
        try
        {
            webhook = new StandardWebhook(secret);
        }
        catch (FormatException e)
        {
            throw new ArgumentException("A Standard Webhooks secret is whsec_ followed by base64.", nameof(secret), e);
        }

        var expected = webhook.Sign(id, DateTimeOffset.FromUnixTimeSeconds(seconds), rawBody);
        return signatures.Split(' ').Any(given => System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.ASCII.GetBytes(given), System.Text.Encoding.ASCII.GetBytes(expected)));
    }
}
