using OtpFunctions.Core.Messaging;

namespace OtpFunctions.Core.Ports;

/// <summary>A provider's delivery-receipt webhook as it arrived: the public URL it was sent to, headers and raw body.</summary>
public sealed record InboundReceipt(string Url, IReadOnlyDictionary<string, string> Headers, byte[] Body, string? ContentType)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>What a receipt parser made of a webhook.</summary>
public abstract record ReceiptVerdict
{
    /// <summary>Signed and understood: these receipts go to <c>otp-receipts</c>.</summary>
    public sealed record Accepted(IReadOnlyList<ReceiptMessage> Receipts) : ReceiptVerdict;

    /// <summary>Signature bad, missing or stale: 401, nothing changes.</summary>
    public sealed record Rejected(string Reason) : ReceiptVerdict;

    /// <summary>A subscription handshake (Event Grid): answer 200 with this JSON, record nothing.</summary>
    public sealed record Handshake(IReadOnlyDictionary<string, string> Response) : ReceiptVerdict;

    /// <summary>Signed but malformed: 400 naming the field.</summary>
    public sealed record Invalid(string Field, string Message) : ReceiptVerdict;
}

/// <summary>Checks one provider's receipt signature and maps its statuses onto ours.</summary>
public interface IReceiptParser
{
    string Provider { get; }

    ReceiptVerdict Parse(InboundReceipt receipt, DateTimeOffset now);
}
