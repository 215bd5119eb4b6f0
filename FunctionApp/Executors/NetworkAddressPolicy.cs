using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace DurableFlow.Executors;

/// <summary>
/// Classifies IP addresses for the REST executor's SSRF guard. Embedded IPv4 forms (IPv4-mapped
/// <c>::ffff:a.b.c.d</c>, IPv4-compatible <c>::a.b.c.d</c>, NAT64 <c>64:ff9b::/96</c>, 6to4 <c>2002::/16</c>)
/// are judged by the IPv4 address inside, so <c>::ffff:169.254.169.254</c> is as forbidden as
/// <c>169.254.169.254</c>.
/// </summary>
public static class NetworkAddressPolicy
{
    /// <summary>Classifies <paramref name="address"/> and says why, for error messages.</summary>
    public static (DestinationKind Kind, string Reason) Classify(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return ClassifyV4(address);
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return (DestinationKind.Forbidden, "not an IP address");
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return ClassifyV4(address.MapToIPv4());
        }

        Span<byte> b = stackalloc byte[16];
        address.TryWriteBytes(b, out _);
        if (address.Equals(IPAddress.IPv6Any))
        {
            return (DestinationKind.Forbidden, "the unspecified address ::");
        }

        if (address.Equals(IPAddress.IPv6Loopback))
        {
            return (DestinationKind.Private, "the loopback address ::1");
        }

        // ::a.b.c.d (deprecated IPv4-compatible) and 64:ff9b::/96 (NAT64) carry an IPv4 address in the last 4 bytes.
        if (b[..12].IndexOfAnyExcept((byte)0) < 0
            || (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && b[4..12].IndexOfAnyExcept((byte)0) < 0))
        {
            return ClassifyV4(new IPAddress(b[12..]));
        }

        if (b[0] == 0x20 && b[1] == 0x02)
        {
            return ClassifyV4(new IPAddress(b[2..6])); // 6to4 2002:AABB:CCDD::/48 embeds AA.BB.CC.DD
        }

        if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80)
        {
            return (DestinationKind.Forbidden, "in the link-local range fe80::/10");
        }

        if (b[0] == 0xff)
        {
            return (DestinationKind.Forbidden, "a multicast address (ff00::/8)");
        }

        if (address.Equals(AwsMetadataV6))
        {
            return (DestinationKind.Forbidden, "the AWS instance metadata address fd00:ec2::254");
        }

        if ((b[0] & 0xfe) == 0xfc)
        {
            return (DestinationKind.Private, "in the unique-local range fc00::/7");
        }

        if (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0)
        {
            return (DestinationKind.Private, "in the site-local range fec0::/10");
        }

        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && b[4] == 0x00 && b[5] == 0x01)
        {
            return (DestinationKind.Private, "in the local-use NAT64 range 64:ff9b:1::/48");
        }

        return (DestinationKind.Public, "a public address");
    }

    private static readonly IPAddress AwsMetadataV6 = IPAddress.Parse("fd00:ec2::254");

    private static (DestinationKind, string) ClassifyV4(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[4];
        address.TryWriteBytes(bytes, out _);
        var a = BinaryPrimitives.ReadUInt32BigEndian(bytes);
        return a switch
        {
            _ when In(a, 0x00000000, 8) => (DestinationKind.Forbidden, "in the 'this network' range 0.0.0.0/8"),
            _ when In(a, 0xA9FE0000, 16) => (DestinationKind.Forbidden, "in the link-local range 169.254.0.0/16, home of cloud metadata endpoints such as 169.254.169.254"),
            _ when In(a, 0xE0000000, 4) => (DestinationKind.Forbidden, "a multicast address (224.0.0.0/4)"),
            _ when In(a, 0xF0000000, 4) => (DestinationKind.Forbidden, "in the reserved range 240.0.0.0/4"),
            // Cloud platform endpoints at addresses outside the ranges above: Azure's WireServer/host
            // endpoint and Alibaba Cloud's metadata service. Never a legitimate task target.
            0xA83F8110 => (DestinationKind.Forbidden, "the Azure platform endpoint 168.63.129.16"),
            0x6464_64C8 => (DestinationKind.Forbidden, "the Alibaba Cloud metadata address 100.100.100.200"),
            _ when In(a, 0x7F000000, 8) => (DestinationKind.Private, "a loopback address (127.0.0.0/8)"),
            _ when In(a, 0x0A000000, 8) => (DestinationKind.Private, "in the private range 10.0.0.0/8"),
            _ when In(a, 0xAC100000, 12) => (DestinationKind.Private, "in the private range 172.16.0.0/12"),
            _ when In(a, 0xC0A80000, 16) => (DestinationKind.Private, "in the private range 192.168.0.0/16"),
            _ when In(a, 0x64400000, 10) => (DestinationKind.Private, "in the carrier-grade NAT range 100.64.0.0/10"),
            _ when In(a, 0xC0000000, 24) => (DestinationKind.Private, "in the IETF protocol range 192.0.0.0/24"),
            _ when In(a, 0xC6120000, 15) => (DestinationKind.Private, "in the benchmarking range 198.18.0.0/15"),
            _ => (DestinationKind.Public, "a public address"),
        };
    }

    private static bool In(uint address, uint network, int prefixLength) =>
        (address & (uint.MaxValue << (32 - prefixLength))) == network;

    /// <summary>
    /// Why connecting to <paramref name="address"/> is refused under the given setting, or null when it
    /// is allowed.
    /// </summary>
    public static string? WhyBlocked(IPAddress address, bool allowPrivateNetworks)
    {
        var (kind, reason) = Classify(address);
        return kind switch
        {
            DestinationKind.Forbidden => $"{address} is {reason}; rest_executor never connects there",
            DestinationKind.Private when !allowPrivateNetworks =>
                $"{address} is {reason}; set RestExecutor:AllowPrivateNetworks=true to allow loopback and private networks",
            _ => null,
        };
    }
}
