using System.Net;
using System.Net.Sockets;

namespace OtpFunctions.Core.Security;

/// <summary>
/// Where the service may send a request on a client's behalf (client events): public unicast
/// addresses only, never this network, the host itself or a cloud metadata service, however the
/// address is spelled (an IPv4 address inside IPv6 is judged as the IPv4 address it reaches). Checked when
/// a URL is accepted and again on the resolved address at connect time, so DNS rebinding gains
/// nothing. Loopback is allowed only where a caller says so (local rigs and tests).
/// </summary>
public static class NetworkTargets
{
    // Names that only resolve inside a network: mDNS, the .internal of cloud metadata hosts, and
    // home and corporate suffixes (RFC 6761, 6762, 8375).
    private static readonly string[] PrivateSuffixes = [".internal", ".local", ".localdomain", ".home.arpa", ".lan", ".intranet", ".corp"];

    private static readonly (IPAddress Network, int Bits)[] NonPublicV4 =
    [
        (IPAddress.Parse("0.0.0.0"), 8),        // "this network"
        (IPAddress.Parse("10.0.0.0"), 8),       // private
        (IPAddress.Parse("100.64.0.0"), 10),    // carrier-grade NAT
        (IPAddress.Parse("127.0.0.0"), 8),      // loopback
        (IPAddress.Parse("169.254.0.0"), 16),   // link-local, cloud metadata
        (IPAddress.Parse("172.16.0.0"), 12),    // private
        (IPAddress.Parse("192.0.0.0"), 24),     // IETF protocol assignments
        (IPAddress.Parse("192.0.2.0"), 24),     // documentation (TEST-NET-1)
        (IPAddress.Parse("192.88.99.0"), 24),   // 6to4 relay anycast (deprecated)
        (IPAddress.Parse("192.168.0.0"), 16),   // private
        (IPAddress.Parse("198.18.0.0"), 15),    // benchmarking
        (IPAddress.Parse("198.51.100.0"), 24),  // documentation (TEST-NET-2)
        (IPAddress.Parse("203.0.113.0"), 24),   // documentation (TEST-NET-3)
        (IPAddress.Parse("224.0.0.0"), 4),      // multicast
        (IPAddress.Parse("240.0.0.0"), 4),      // reserved, broadcast
    ];

    // IPv6 is judged the other way round: only global unicast (2000::/3) is public, so every other
    // prefix is refused without being listed (the unspecified and loopback addresses, IPv4-compatible
    // ::/96, SIIT ::ffff:0:0/96, local-use NAT64 64:ff9b:1::/48, unique and link local, multicast).
    private static readonly (IPAddress Network, int Bits) GlobalUnicastV6 = (IPAddress.Parse("2000::"), 3);

    // Inside global unicast, what is not a host on the internet.
    private static readonly (IPAddress Network, int Bits)[] NonPublicGlobalV6 =
    [
        (IPAddress.Parse("2001::"), 23),        // IETF protocol assignments: Teredo, benchmarking, ORCHID
        (IPAddress.Parse("2001:db8::"), 32),    // documentation
        (IPAddress.Parse("3fff::"), 20),        // documentation
        (IPAddress.Parse("5f00::"), 16),        // segment routing (SRv6) SIDs
    ];

    /// <summary>Whether a request may go to this address.</summary>
    public static bool IsPermitted(IPAddress address, bool allowLoopback)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        else if (address.AddressFamily == AddressFamily.InterNetworkV6 && Embedded(address) is { } embedded)
        {
            address = embedded;
        }

        if (IPAddress.IsLoopback(address))
        {
            return allowLoopback;
        }

        return address.AddressFamily == AddressFamily.InterNetwork
            ? !NonPublicV4.Any(range => InRange(address, range.Network, range.Bits))
            : InRange(address, GlobalUnicastV6.Network, GlobalUnicastV6.Bits) && !NonPublicGlobalV6.Any(range => InRange(address, range.Network, range.Bits));
    }

    /// <summary>Why a URL's host may not be a target, or null. Names are judged without resolving them (no DNS at send time).</summary>
    public static string? Problem(Uri uri, bool allowLoopback)
    {
        if (uri.Port == 0)
        {
            return "Must name a port from 1 to 65535.";
        }

        var host = uri.IdnHost.TrimEnd('.').ToLowerInvariant();
        if (uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6)
        {
            return IPAddress.TryParse(uri.DnsSafeHost, out var address) && IsPermitted(address, allowLoopback)
                ? null
                : "Must not point at a private, loopback, link-local or reserved address.";
        }

        if (host == "localhost" || host.EndsWith(".localhost", StringComparison.Ordinal))
        {
            return allowLoopback ? null : "Must not point at this host.";
        }

        return !host.Contains('.', StringComparison.Ordinal) || PrivateSuffixes.Any(s => host.EndsWith(s, StringComparison.Ordinal))
            ? "Must name a public host (not an internal, local or single-label name)."
            : null;
    }

    // NAT64 (64:ff9b::/96) and 6to4 (2002::/16) carry an IPv4 address that the packet reaches.
    private static IPAddress? Embedded(IPAddress v6)
    {
        var bytes = v6.GetAddressBytes();
        if (InRange(v6, IPAddress.Parse("64:ff9b::"), 96))
        {
            return new IPAddress(bytes.AsSpan(12, 4));
        }

        return InRange(v6, IPAddress.Parse("2002::"), 16) ? new IPAddress(bytes.AsSpan(2, 4)) : null;
    }

    private static bool InRange(IPAddress address, IPAddress network, int bits)
    {
        if (address.AddressFamily != network.AddressFamily)
        {
            return false;
        }

        var a = address.GetAddressBytes();
        var n = network.GetAddressBytes();
        var whole = bits / 8;
        if (!a.AsSpan(0, whole).SequenceEqual(n.AsSpan(0, whole)))
        {
            return false;
        }

        var rest = bits % 8;
        // Stryker disable once Bitwise : bytes widen to non-negative ints, so >> and >>> agree
        return rest == 0 || (a[whole] >> (8 - rest)) == (n[whole] >> (8 - rest));
    }
}
