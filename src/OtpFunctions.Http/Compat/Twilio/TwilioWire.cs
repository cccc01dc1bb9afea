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

    /// <summary>A page of a list as Twilio answers one: the items under their <paramref name="key"/>, and the <c>meta</c> block the SDKs page by.</summary>
    public static Dictionary<string, object?> Page(string key, object items, int page, int pageSize, string firstPageUrl, string url, string? nextPageUrl) => new()
    {
        [key] = items,
        ["meta"] = new Dictionary<string, object?>
        {
            ["page"] = page,
            ["page_size"] = pageSize,
            ["first_page_url"] = firstPageUrl,
            ["previous_page_url"] = null,
            ["url"] = url,
            ["next_page_url"] = nextPageUrl,
            ["key"] = key,
        },
    };

    /// <summary>Twilio calls voice <c>call</c>; the other channels have our names.</summary>
    public static string Channel(Channel channel) => channel == Core.Sessions.Channel.Voice ? "call" : channel.ToWire();
}
