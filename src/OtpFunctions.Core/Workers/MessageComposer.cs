using System.Collections.Concurrent;
using System.Globalization;
using OtpFunctions.Core.Sessions;
using OtpFunctions.Core.UseCases;

namespace OtpFunctions.Core.Workers;

/// <summary>
/// The text a channel sends: the session's own <c>text</c>, or the localised default, with
/// placeholders filled; an SMS ends with the app hash and then the WebOTP line when the send gave them.
/// </summary>
public class MessageComposer
{
    public virtual string Compose(OtpSession session, Channel channel, string code)
    {
        var template = session.Message.Text ?? DefaultTemplate(session.Message.Locale) + (session.Transaction is null ? "" : BoundPaymentLine);
        var spoken = channel == Channel.Voice ? SpokenCode(code) : code;
        var text = template
            .Replace(SendRules.CodePlaceholder, spoken, StringComparison.Ordinal)
            .Replace("{expiry_minutes}", Math.Max(1, (int)Math.Ceiling(session.ExpirySeconds / 60.0)).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{brand}", session.Message.Brand ?? "", StringComparison.Ordinal)
            .Replace(SendRules.AmountPlaceholder, session.Message.Amount ?? "", StringComparison.Ordinal)
            .Replace(SendRules.PayeePlaceholder, session.Message.Payee ?? "", StringComparison.Ordinal)
            .TrimStart(':', ' ');
        if (channel != Channel.Sms)
        {
            return text;
        }

        text = session.Message.AppHash is { } appHash ? $"{text}\n{appHash}" : text;
        // WebOTP reads the last line only: it comes after the app hash.
        return session.Message.WebOtpHost is { } host ? $"{text}\n\n@{host} #{code}" : text;
    }

    /// <summary>
    /// What a default text adds for a code bound to a payment, so the user sees what the code
    /// approves (PSD2 dynamic linking): the same line in every language, in GSM-7 characters.
    /// </summary>
    public const string BoundPaymentLine = "\n{payee}: {amount}";

    protected virtual string DefaultTemplate(string locale) => MessageTemplates.For(locale);

    /// <summary>What an SMS of this session costs, for a code of its policy's length (codes are GSM-7 characters).</summary>
    public Messaging.SmsCost SmsCost(OtpSession session)
    {
        // Every send answers with it, and texts of one shape cost the same: counted once per shape.
        var shape = (session.Message.Text ?? DefaultTemplate(session.Message.Locale), session.ExpirySeconds, session.Message.Brand + "\n" + session.Message.Amount + "\n" + session.Message.Payee, session.Message.AppHash + "\n" + session.Message.WebOtpHost, session.CodePolicy.Length);
        if (_smsCosts.TryGetValue(shape, out var cost))
        {
            return cost;
        }

        cost = Messaging.SmsSegments.Count(Compose(session, Channel.Sms, new string('0', session.CodePolicy.Length)));
        if (_smsCosts.Count < MaxKeptShapes)
        {
            _smsCosts[shape] = cost;
        }

        return cost;
    }

    /// <summary>Texts are the client's to choose: only so many shapes are kept.</summary>
    private const int MaxKeptShapes = 1_000;

    private readonly ConcurrentDictionary<(string Template, int ExpirySeconds, string? Brand, string? AppHash, int CodeLength), Messaging.SmsCost> _smsCosts = new();

    /// <summary>Voice reads a code one character at a time, twice, so it can be written down.</summary>
    public static string SpokenCode(string code)
    {
        var once = string.Join(", ", code.ToCharArray());
        return $"{once}. Again: {once}";
    }
}
