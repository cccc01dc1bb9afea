using System.Globalization;
using System.Text.Json;
using OtpFunctions.Core.Messaging;
using OtpFunctions.Core.Ports;
using OtpFunctions.Core.Sessions;

namespace OtpFunctions.Http.Compat.Bonga;

/// <summary>
/// Bonga's documented delivery receipt, posted to a session's <c>endpoint</c>: <c>phone</c> (masked
/// here, digits only), <c>correlator</c>, <c>uniqueId</c> (the session id), <c>deliveryStatus</c> in
/// Bonga's (OneAPI) words and <c>deliveryTime</c> as <c>yyyy-MM-dd HH:mm:ss</c> UTC. Bonga's endpoint
/// takes delivery receipts only: other events are not sent.
/// </summary>
public sealed class BongaReceiptFormat : IClientEventFormat
{
    public const string FormatName = "bonga";

    public string Name => FormatName;

    public string? Body(OtpSession session, CallbackMessage message) => message.DeliveryStatus is not { } status ? null : JsonSerializer.Serialize(new Dictionary<string, object?>
    {
        ["phone"] = session.PrimaryRecipient.Masked.TrimStart('+'),
        ["correlator"] = session.Message.Correlator,
        ["uniqueId"] = session.Id,
        ["deliveryStatus"] = status switch
        {
            DeliveryStatus.Delivered => "DeliveredToTerminal",
            DeliveryStatus.Sent => "DeliveredToNetwork",
            DeliveryStatus.Failed or DeliveryStatus.Undelivered => "DeliveryImpossible",
            _ => "DeliveryUncertain",
        },
        ["deliveryTime"] = message.OccurredAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
    });
}
