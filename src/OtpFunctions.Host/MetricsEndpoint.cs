using System.Net;

namespace OtpFunctions.Host;

/// <summary>
/// Who may read <c>/metrics</c>. The scrape names every application and its volumes, so it is
/// not for whoever reaches the API: by default only a caller on this machine (loopback) gets it;
/// with <c>Otp:Metrics:Port</c> set it is served on that port alone (the host listens there too),
/// which a deployment keeps off its public listener. Anywhere else it is a plain 404.
/// </summary>
public static class MetricsEndpoint
{
    public const string Path = "/metrics";
    public const string PortKey = "Otp:Metrics:Port";

    /// <summary>The configured scrape port, or null for loopback-only; an unusable value stops start-up.</summary>
    public static int? PortFrom(IConfiguration configuration)
    {
        var value = configuration[PortKey];
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        return int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65_535
            ? port
            : throw new InvalidOperationException($"{PortKey} must be a TCP port (1-65535), or unset to serve /metrics to loopback callers only.");
    }

    /// <summary>Whether this request may read the scrape.</summary>
    public static bool Allows(HttpContext context, int? port) =>
        context.Request.Path == Path && (port is { } only
            ? context.Connection.LocalPort == only
            : context.Connection.RemoteIpAddress is { } remote && IPAddress.IsLoopback(remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote));
}
