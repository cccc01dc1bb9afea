using OtpFunctions.Core.Ports;
using OtpFunctions.Core.Sessions;

namespace OtpFunctions.Channels.Tests;

internal static class OutgoingMessages
{
    public const string Reference = "AAAAAAAAAAAAAAAAAAAAAAAAAAA.1.0";

    public static OutgoingMessage For(Channel channel, string to = "+420777123477") => new()
    {
        SessionId = "AAAAAAAAAAAAAAAAAAAAAAAAAAA",
        Generation = 1,
        Step = 0,
        Channel = channel,
        To = to,
        MaskedTo = "+4207******77",
        Code = "123456",
        Text = "Acme: your code is 123456.",
        Sender = "ACME",
        Locale = "en",
        VoiceLanguage = "en-US",
        VoiceGender = "female",
    };
}
