using System.Globalization;
using Microsoft.AspNetCore.Http;
using OtpFunctions.Core.Sessions;

namespace OtpFunctions.Http.Compat.Twilio;

/// <summary>How Twilio's resources spell what every one of them carries: times, channels, their own URLs.</summary>
internal static class TwilioWire
{
    /// <summary>Where this service answers Twilio's paths (<c>…/api/compat/twilio</c>), for a resource's <c>url</c>.</summary>
    public static string Root(HttpRequest request) => $"{request.Scheme}://{request.Host}{request.PathBase}/api/compat/twilio";

    /// <summary>ISO 8601 in UTC to the second, as Twilio writes <c>date_created</c>.</summary>
    public static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Twilio calls voice <c>call</c>; the other channels have our names.</summary>
    public static string Channel(Channel channel) => channel == Core.Sessions.Channel.Voice ? "call" : channel.ToWire();
}
