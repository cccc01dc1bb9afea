using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
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
    private const long MaxUnixSeconds = 253_402_300_799;
    private static readonly JsonWebTokenHandler Tokens = new();

    private readonly TokenValidationParameters _validation = new()
    {
        IssuerSigningKey = new SymmetricSecurityKey(HmacKey(ReceiptSecret.Required(signatureSecret, "Vonage"))),
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        // Vonage's tokens carry no issuer, audience or expiry to check: iat and payload_hash are checked below.
        ValidateIssuer = false,
        ValidateAudience = false,
        ValidateLifetime = false,
        RequireExpirationTime = false,
    };

    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    private readonly ReplayGuard _replays = new(2 * Tolerance);

    public string Provider => VonageProvider.ProviderName;

    public ReceiptVerdict Parse(InboundReceipt receipt, DateTimeOffset now)
    {
        if (Verify(receipt.Header("Authorization"), receipt.Body, now) is { } unsigned)
        {
            return new ReceiptVerdict.Rejected(unsigned);
        }

        using var json = ClientJson.TryParse(receipt.Body, default, out var problem);
        if (json is null)
        {
            return new ReceiptVerdict.Invalid("body", problem!);
        }

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
        var e = ReceiptInputs.Member(root, "error");
        var error = ReceiptInputs.Text(e, "title") ?? ReceiptInputs.Text(e, "type");
        return new ReceiptVerdict.Accepted([new ReceiptMessage(sessionId, generation, step, status, VonageProvider.ProviderName, ReceiptInputs.Text(root, "message_uuid"), error)]);
    }

    public static DeliveryStatus? MapStatus(string? status) => status switch
    {
        "submitted" => DeliveryStatus.Sent,
        "delivered" or "read" => DeliveryStatus.Delivered,
        "rejected" => DeliveryStatus.Failed,
        "undeliverable" => DeliveryStatus.Undelivered,
        _ => null,
    };

    /// <summary>
    /// The secret as an HS256 key. IdentityModel refuses keys under 256 bits, while HMAC itself
    /// zero-pads any key shorter than its 64-byte block: padding to 32 bytes computes the very
    /// same MACs, so shorter Vonage secrets keep working.
    /// </summary>
    private static byte[] HmacKey(string secret)
    {
        var key = Encoding.UTF8.GetBytes(secret);
        if (key.Length < 32)
        {
            Array.Resize(ref key, 32);
        }

        return key;
    }

    /// <summary>Null when the token is genuine, fresh and covers this body; otherwise why not.</summary>
    private string? Verify(string? authorization, byte[] body, DateTimeOffset now)
    {
        if (authorization is null || !authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return "no bearer token";
        }

        // Symmetric key, no metadata: the handler completes synchronously.
        var result = Tokens.ValidateTokenAsync(authorization["Bearer ".Length..].Trim(), _validation).GetAwaiter().GetResult();
        if (!result.IsValid || result.SecurityToken is not JsonWebToken token)
        {
            return "not a genuine HS256 token";
        }

        if (!token.TryGetPayloadValue<long>("iat", out var issued) || issued is < 0 or > MaxUnixSeconds ||
            (now - DateTimeOffset.FromUnixTimeSeconds(issued)).Duration() > Tolerance)
        {
            return "stale or missing iat";
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(body));
        if (!token.TryGetPayloadValue<string>("payload_hash", out var claimed) || !string.Equals(claimed, hash, StringComparison.OrdinalIgnoreCase))
        {
            return "payload_hash does not match the body";
        }

        // Each token once: its jti or, without one, its signature's bytes (however it is spelled).
        var id = token.TryGetPayloadValue<string>("jti", out var jti) ? "jti:" + jti : "sig:" + Convert.ToHexStringLower(Base64UrlEncoder.DecodeBytes(token.EncodedSignature));
        return _replays.FirstUse(id, now) ? null : "replayed token";
    }
}
