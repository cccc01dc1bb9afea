using System.Text;
using OtpFunctions.Channels.Twilio;
using OtpFunctions.Core.Messaging;
using OtpFunctions.Core.Ports;

namespace OtpFunctions.Channels.Receipts;

/// <summary>
/// Twilio's status callbacks (form posts for messages and calls) to the StatusCallback URL the
/// provider gave, which carries <c>?ref=sessionId.generation.step</c>. The signature covers
/// that exact URL and every form parameter.
/// </summary>
public sealed class TwilioReceiptParser(string authToken) : IReceiptParser
{
    private readonly string _authToken = ReceiptSecret.Required(authToken, "Twilio");

    public string Provider => TwilioProvider.ProviderName;

    public ReceiptVerdict Parse(InboundReceipt receipt, DateTimeOffset now)
    {
        var form = ParseForm(Encoding.UTF8.GetString(receipt.Body));
        if (!TwilioSignature.IsValid(_authToken, receipt.Url, form, receipt.Header(TwilioSignature.Header)))
        {
            return new ReceiptVerdict.Rejected("bad or missing X-Twilio-Signature");
        }

        if (!DeliveryReference.TryParse(ReceiptInputs.Query(receipt.Url, "ref"), out var reference))
        {
            return new ReceiptVerdict.Invalid("ref", "The StatusCallback URL carries no valid ref.");
        }

        var twilioStatus = Value(form, "MessageStatus") ?? Value(form, "CallStatus");
        if (TwilioSignature.MapStatus(twilioStatus) is not { } status)
        {
            return new ReceiptVerdict.Accepted([]); // accepted, scheduled…: nothing to record
        }

        var (sessionId, generation, step) = reference.Value;
        return new ReceiptVerdict.Accepted([new ReceiptMessage(sessionId, generation, step, status, TwilioProvider.ProviderName,
            Value(form, "MessageSid") ?? Value(form, "CallSid"), Value(form, "ErrorCode"))]);
    }

    private static string? Value(List<KeyValuePair<string, string>> form, string name) =>
        form.FirstOrDefault(p => p.Key == name).Value;

    private static List<KeyValuePair<string, string>> ParseForm(string body) =>
        body.Split('&', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2))
            .Select(p => new KeyValuePair<string, string>(Decode(p[0]), p.Length > 1 ? Decode(p[1]) : ""))
            .ToList();

    private static string Decode(string text) => Uri.UnescapeDataString(text.Replace('+', ' '));
}
