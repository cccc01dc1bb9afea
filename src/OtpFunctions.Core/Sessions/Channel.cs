using System.Diagnostics.CodeAnalysis;
using OtpFunctions.Core.Recipients;

namespace OtpFunctions.Core.Sessions;

public enum Channel
{
    Sms,
    Whatsapp,
    Viber,
    Voice,
    Email,
}

/// <summary>Wire names of channels and which kind of recipient each one reaches.</summary>
public static class Channels
{
    private static readonly string[] Names = ["sms", "whatsapp", "viber", "voice", "email"];

    public static IReadOnlyList<string> WireNames => Names;

    public static string ToWire(this Channel channel) => Names[(int)channel];

    public static bool TryParse(string? value, out Channel channel)
    {
        var index = Array.IndexOf(Names, value);
        channel = index < 0 ? default : (Channel)index;
        return index >= 0;
    }

    public static RecipientKind Reaches(this Channel channel) =>
        channel == Channel.Email ? RecipientKind.Email : RecipientKind.Phone;

    [SuppressMessage("Design", "CA1308", Justification = "Wire names are lower case by contract.")]
    public static string ToWireName(this ChannelMode mode) => mode.ToString().ToLowerInvariant();
}

public enum ChannelMode
{
    /// <summary>One channel at a time; the next when one fails or is not delivered in time.</summary>
    Cascade,

    /// <summary>Every channel at once.</summary>
    Parallel,
}
