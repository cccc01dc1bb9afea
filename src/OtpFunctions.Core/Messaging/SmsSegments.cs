namespace OtpFunctions.Core.Messaging;

/// <summary>
/// How many SMS a text costs (3GPP TS 23.038 / 23.040): GSM-7 when every character is in the
/// default alphabet (extension characters cost two septets), else UCS-2 (UTF-16 code units).
/// One message holds 160 septets or 70 UCS-2 units; concatenated parts hold 153 or 67.
/// </summary>
public static class SmsSegments
{
    private const string Basic =
        "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
        "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

    private const string Extension = "^{}\\[~]|€\f";

    public static bool IsGsm7(string text) => text.All(c => Basic.Contains(c, StringComparison.Ordinal) || Extension.Contains(c, StringComparison.Ordinal));

    public static SmsCost Count(string text)
    {
        if (IsGsm7(text))
        {
            var septets = text.Sum(c => Extension.Contains(c, StringComparison.Ordinal) ? 2 : 1);
            return new SmsCost("GSM-7", septets, septets <= 160 ? 1 : (int)Math.Ceiling(septets / 153.0));
        }

        return new SmsCost("UCS-2", text.Length, text.Length <= 70 ? 1 : (int)Math.Ceiling(text.Length / 67.0));
    }
}

/// <summary>An SMS text's encoding, its length in that encoding's units, and the messages it takes.</summary>
public sealed record SmsCost(string Encoding, int Units, int Segments);
