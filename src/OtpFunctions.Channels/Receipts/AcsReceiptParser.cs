using System.Text.Json;
using OtpFunctions.Channels.Acs;
using OtpFunctions.Core.Messaging;
using OtpFunctions.Core.Ports;
using OtpFunctions.Core.Sessions;

namespace OtpFunctions.Channels.Receipts;

/// <summary>
/// ACS delivery reports through Event Grid (Event Grid schema): the subscription-validation
/// handshake, and <c>Microsoft.Communication.SMSDeliveryReportReceived</c> whose <c>Tag</c> is
/// the step's reference. Event Grid does not sign events; the subscription's webhook URL carries
/// a shared <c>code</c>, checked in fixed time.
/// </summary>
public sealed class AcsReceiptParser(string code) : IReceiptParser
{
    public const string ValidationEvent = "Microsoft.EventGrid.SubscriptionValidationEvent";
    public const string SmsDeliveryEvent = "Microsoft.Communication.SMSDeliveryReportReceived";
    public const string EmailDeliveryEvent = "Microsoft.Communication.EmailDeliveryReportReceived";

    public string Provider => AcsProvider.ProviderName;

    public ReceiptVerdict Parse(InboundReceipt receipt, DateTimeOffset now)
    {
        if (!ReceiptInputs.HasCode(receipt.Url, code))
        {
            return new ReceiptVerdict.Rejected("missing or wrong code in the Event Grid webhook URL");
        }

        using var json = ClientJson.TryParse(receipt.Body, default, out var problem);
        if (json is null)
        {
            return new ReceiptVerdict.Invalid("body", problem!);
        }

        if (json.RootElement.ValueKind != JsonValueKind.Array)
        {
            return new ReceiptVerdict.Invalid("body", "Event Grid posts an array of events.");
        }

        var receipts = new List<ReceiptMessage>();
        foreach (var e in json.RootElement.EnumerateArray())
        {
            var type = ReceiptInputs.Text(e, "eventType");
            var data = ReceiptInputs.Member(e, "data");
            if (type == ValidationEvent && ReceiptInputs.Text(data, "validationCode") is { } validation)
            {
                return new ReceiptVerdict.Handshake(new Dictionary<string, string> { ["validationResponse"] = validation });
            }

            if (type == SmsDeliveryEvent && DeliveryReference.TryParse(ReceiptInputs.Text(data, "Tag"), out var reference) && MapStatus(ReceiptInputs.Text(data, "DeliveryStatus")) is { } status)
            {
                var (sessionId, generation, step) = reference.Value;
                receipts.Add(new ReceiptMessage(sessionId, generation, step, status, AcsProvider.ProviderName, ReceiptInputs.Text(data, "MessageId"), ReceiptInputs.Text(data, "DeliveryStatusDetails")));
            }

            // Email reports name only the send operation's id: the receipt worker finds the step in the message index.
            if (type == EmailDeliveryEvent && ReceiptInputs.Text(data, "messageId") is { } operation && MapEmailStatus(ReceiptInputs.Text(data, "status")) is { } emailStatus)
            {
                receipts.Add(new ReceiptMessage("", 0, 0, emailStatus, AcsProvider.ProviderName, operation, ReceiptInputs.Text(data, "status")));
            }
        }

        return new ReceiptVerdict.Accepted(receipts);
    }

    public static DeliveryStatus? MapStatus(string? status) => status switch
    {
        "Delivered" => DeliveryStatus.Delivered,
        "Failed" => DeliveryStatus.Failed,
        _ => null,
    };

    public static DeliveryStatus? MapEmailStatus(string? status) => status switch
    {
        "Delivered" => DeliveryStatus.Delivered,
        "Failed" or "Bounced" or "Suppressed" or "Quarantined" or "FilteredSpam" => DeliveryStatus.Undelivered,
        _ => null,
    };
}
