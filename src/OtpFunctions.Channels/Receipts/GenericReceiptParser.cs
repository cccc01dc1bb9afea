using System.Text;
using System.Text.Json;
using OtpFunctions.Core.Messaging;
using OtpFunctions.Core.Ports;
using OtpFunctions.Core.Sessions;
using OtpFunctions.Core.Workers;

namespace OtpFunctions.Channels.Receipts;

/// <summary>
/// The generic (in-house gateway) provider's receipts: JSON <c>{reference, status, message_id?, error?}</c>
/// signed like client events (<c>X-Otp-Signature: t=…,v1=HMAC-SHA256(secret, t.body)</c>), at most 5 minutes old,
/// each signature accepted once. A gateway that retries signs again (a new <c>t</c>).
/// </summary>
public sealed class GenericReceiptParser(string secret) : IReceiptParser
{
    private readonly string _secret = ReceiptSecret.Required(secret, "generic");

    public const string ProviderName = "generic";
    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    private readonly ReplayGuard _replays = new(2 * Tolerance);

    public string Provider => ProviderName;

    public ReceiptVerdict Parse(InboundReceipt receipt, DateTimeOffset now)
    {
        var body = Encoding.UTF8.GetString(receipt.Body);
        var signature = receipt.Header(EventSignature.Header) ?? "";
        if (EventSignature.Check(_secret, signature, body, now, Tolerance) is not { } canonical)
        {
            return new ReceiptVerdict.Rejected("bad, missing or stale X-Otp-Signature");
        }

        if (!_replays.FirstUse(canonical, now))
        {
            return new ReceiptVerdict.Rejected("replayed X-Otp-Signature");
        }

        using var json = ClientJson.TryParse(receipt.Body, default, out var problem);
        if (json is null)
        {
            return new ReceiptVerdict.Invalid("body", problem!);
        }

        var root = json.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return new ReceiptVerdict.Invalid("body", "Must be a JSON object.");
        }

        if (!DeliveryReference.TryParse(ReceiptInputs.Text(root, "reference"), out var reference))
        {
            return new ReceiptVerdict.Invalid("reference", "Must be the reference the message was sent with (sessionId.generation.step).");
        }

        if (Status(ReceiptInputs.Text(root, "status")) is not { } status)
        {
            return new ReceiptVerdict.Invalid("status", "Must be one of queued, sent, delivered, failed, undelivered.");
        }

        var (sessionId, generation, step) = reference.Value;
        return new ReceiptVerdict.Accepted([new ReceiptMessage(sessionId, generation, step, status, ProviderName, ReceiptInputs.Text(root, "message_id"), ReceiptInputs.Text(root, "error"))]);
    }


    private static DeliveryStatus? Status(string? text) =>
        Enum.GetValues<DeliveryStatus>().Cast<DeliveryStatus?>().FirstOrDefault(s => JsonNamingPolicy.SnakeCaseLower.ConvertName(s!.Value.ToString()) == text);
}
