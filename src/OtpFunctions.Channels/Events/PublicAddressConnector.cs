using System.Net;
using System.Net.Sockets;
using OtpFunctions.Core.Security;

namespace OtpFunctions.Channels.Events;

/// <summary>
/// The connect step of the client-event HttpClient (<see cref="SocketsHttpHandler.ConnectCallback"/>):
/// it resolves the host once, refuses when any address it resolves to is not public
/// (<see cref="NetworkTargets"/>), and connects to exactly the address it checked, so a DNS answer
/// that changes between check and connect (rebinding) reaches nothing.
/// </summary>
public sealed class PublicAddressConnector(bool allowLoopback)
{
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        if (addresses.Length == 0 || !addresses.All(a => NetworkTargets.IsPermitted(a, allowLoopback)))
        {
            throw new HttpRequestException($"Refused to connect to {host}: it resolves to a non-public address.");
        }

        var socket = new Socket(addresses[0].AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses[0], context.DnsEndPoint.Port, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The primary handler of the client-event HttpClient. No proxy, not even the system's
    /// (HTTPS_PROXY): through one, this connector would check the proxy's address, not the target's.
    /// </summary>
    public SocketsHttpHandler Handler() => new() { ConnectCallback = ConnectAsync, AllowAutoRedirect = false, UseProxy = false };
}
