using System.Text.Json;
using OtpFunctions.Channels.BulkGate;
using OtpFunctions.Core.Messaging;
using OtpFunctions.Core.Ports;
using OtpFunctions.Core.Sessions;

namespace OtpFunctions.Channels.Receipts;

/// <summary>
/// BulkGate delivery confirmations: a JSON array of <c>{status, smsID, …}</c> POSTed to the
/// delivery URL set in the BulkGate portal. BulkGate does not sign them, so that URL carries a
/// shared <c>code</c>, checked in fixed time. Statuses: 1 delivered, 2 buffered (sent), 3 not
/// delivered, 13 seen (Viber); 10 is an incoming reply, not a receipt.
/// </summary>
public sealed class BulkGateReceiptParser(string code) : IReceiptParser
{
    public string Provider => BulkGateProvider.ProviderName;

    public ReceiptVerdict Parse(InboundReceipt receipt, DateTimeOffset now)
    {
        if (!ReceiptInputs.HasCode(receipt.Url, code))
        {
            return new ReceiptVerdict.Rejected("missing or wrong code in the delivery URL");
        }

        using var json = ClientJson.TryParse(receipt.Body, default, out var problem);
        if (json is null)
        {
            return new ReceiptVerdict.Invalid("body", problem!);
        }

        var items = json.RootElement.ValueKind == JsonValueKind.Array ? json.RootElement.EnumerateArray().ToList() : [json.RootElement];
        var receipts = new List<ReceiptMessage>();
        foreach (var item in items)
        {
            if (ReceiptInputs.Text(item, "smsID") is { } smsId && MapStatus(ReceiptInputs.Text(item, "status")) is { } status)
            {
                // The session is found through the message index by the receipt worker.
                receipts.Add(new ReceiptMessage("", 0, 0, status, BulkGateProvider.ProviderName, smsId));
            }
        }

        return new ReceiptVerdict.Accepted(receipts);
    }

    public static DeliveryStatus? MapStatus(string? status) => status switch
    {
        "1" or "13" => DeliveryStatus.Delivered,
        "2" => DeliveryStatus.Sent,
        "3" => DeliveryStatus.Undelivered,
        _ => null,
    };
}
