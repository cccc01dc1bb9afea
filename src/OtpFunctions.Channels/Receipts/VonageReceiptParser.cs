using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using OtpFunctions.Channels.Vonage;
using OtpFunctions.Core.Messaging;
using OtpFunctions.Core.Ports;
using OtpFunctions.Core.Sessions;

namespace OtpFunctions.Channels.Receipts;

/// <summary>
/// Vonage Messages status webhooks: <c>Authorization: Bearer &lt;JWT&gt;</c>, HS256 with the
/// signature secret; its <c>payload_hash</c> is the SHA-256 (hex) of the body, and an
/// <c>iat</c> older than 5 minutes is refused and each <c>jti</c> is accepted once, so a captured
/// webhook cannot be replayed.
/// </summary>
public sealed class VonageReceiptParser(string signatureSecret) : IReceiptParser
{
    private readonly byte[] _key = Encoding.UTF8.GetBytes(ReceiptSecret.Required(signatureSecret, "Vonage"));

    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    private readonly ReplayGuard _replays = new(2 * Tolerance);

    public string Provider => VonageProvider.ProviderName;

    public ReceiptVerdict Parse(InboundReceipt receipt, DateTimeOffset now)
    {
        if (Verify(receipt.Header("Authorization"), receipt.Body, now) is { } problem)
        {
            return new ReceiptVerdict.Rejected(problem);
        }

        try
        {
            using var json = JsonDocument.Parse(receipt.Body);
            var root = json.RootElement;
            if (!DeliveryReference.TryParse(ReceiptInputs.Text(root, "client_ref"), out var reference))
            {
                return new ReceiptVerdict.Invalid("client_ref", "The status names no message of this service.");
            }

            if (MapStatus(ReceiptInputs.Text(root, "status")) is not { } status)
            {
                return new ReceiptVerdict.Accepted([]);
            }

            var (sessionId, generation, step) = reference.Value;
            var error = root.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.Object ? ReceiptInputs.Text(e, "title") ?? ReceiptInputs.Text(e, "type") : null;
            return new ReceiptVerdict.Accepted([new ReceiptMessage(sessionId, generation, step, status, VonageProvider.ProviderName, ReceiptInputs.Text(root, "message_uuid"), error)]);
        }
        catch (JsonException)
        {
            return new ReceiptVerdict.Invalid("body", "Not valid JSON.");
        }
    }

    public static DeliveryStatus? MapStatus(string? status) => status switch
    {
        "submitted" => DeliveryStatus.Sent,
        "delivered" or "read" => DeliveryStatus.Delivered,
        "rejected" => DeliveryStatus.Failed,
        "undeliverable" => DeliveryStatus.Undelivered,
        _ => null,
    };

    /// <summary>Null when the token is genuine, fresh and covers this body; otherwise why not.</summary>
    private string? Verify(string? authorization, byte[] body, DateTimeOffset now)
    {
        if (authorization is null || !authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return "no bearer token";
        }

        var parts = authorization["Bearer ".Length..].Trim().Split('.');
        if (parts.Length != 3)
        {
            return "not a JWT";
        }

        try
        {
            using var header = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0]));
            if (ReceiptInputs.Text(header.RootElement, "alg") != "HS256")
            {
                return "not HS256";
            }

            var expected = HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]));
            if (!CryptographicOperations.FixedTimeEquals(expected, Base64Url.DecodeFromChars(parts[2])))
            {
                return "bad signature";
            }

            using var claims = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1]));
            var root = claims.RootElement;
            if (!root.TryGetProperty("iat", out var iat) || !iat.TryGetInt64(out var issued) ||
                Math.Abs((now - DateTimeOffset.FromUnixTimeSeconds(issued)).TotalSeconds) > Tolerance.TotalSeconds)
            {
                return "stale or missing iat";
            }

            var hash = Convert.ToHexStringLower(SHA256.HashData(body));
            if (!string.Equals(ReceiptInputs.Text(root, "payload_hash"), hash, StringComparison.OrdinalIgnoreCase))
            {
                return "payload_hash does not match the body";
            }

            // Each token once: its jti (or, without one, the signature itself).
            return _replays.FirstUse(ReceiptInputs.Text(root, "jti") ?? parts[2], now) ? null : "replayed token";
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return "malformed token";
        }
    }
}
