using System.Net;
using DurableFlow.Executors;

namespace DurableFlow.Tests.Executors;

public class NetworkAddressPolicyTests
{
    [Theory]
    // Forbidden whatever the setting: link-local/metadata, "this network", multicast, reserved, cloud endpoints.
    [InlineData("169.254.169.254", DestinationKind.Forbidden)]
    [InlineData("169.254.0.1", DestinationKind.Forbidden)]
    [InlineData("0.0.0.0", DestinationKind.Forbidden)]
    [InlineData("0.1.2.3", DestinationKind.Forbidden)]
    [InlineData("224.0.0.1", DestinationKind.Forbidden)]
    [InlineData("255.255.255.255", DestinationKind.Forbidden)]
    [InlineData("168.63.129.16", DestinationKind.Forbidden)]
    [InlineData("100.100.100.200", DestinationKind.Forbidden)]
    [InlineData("::", DestinationKind.Forbidden)]
    [InlineData("fe80::1", DestinationKind.Forbidden)]
    [InlineData("febf::1", DestinationKind.Forbidden)]
    [InlineData("ff02::1", DestinationKind.Forbidden)]
    [InlineData("fd00:ec2::254", DestinationKind.Forbidden)]
    // Embedded IPv4 forms are judged by the IPv4 address inside.
    [InlineData("::ffff:169.254.169.254", DestinationKind.Forbidden)]
    [InlineData("::169.254.169.254", DestinationKind.Forbidden)]
    [InlineData("64:ff9b::169.254.169.254", DestinationKind.Forbidden)]
    [InlineData("2002:a9fe:a9fe::1", DestinationKind.Forbidden)]
    [InlineData("::ffff:127.0.0.1", DestinationKind.Private)]
    [InlineData("::ffff:10.1.2.3", DestinationKind.Private)]
    [InlineData("::ffff:8.8.8.8", DestinationKind.Public)]
    // Private: allowed only with AllowPrivateNetworks.
    [InlineData("127.0.0.1", DestinationKind.Private)]
    [InlineData("127.255.255.254", DestinationKind.Private)]
    [InlineData("::1", DestinationKind.Private)]
    [InlineData("10.0.0.1", DestinationKind.Private)]
    [InlineData("172.16.0.1", DestinationKind.Private)]
    [InlineData("172.31.255.255", DestinationKind.Private)]
    [InlineData("192.168.1.1", DestinationKind.Private)]
    [InlineData("100.64.0.1", DestinationKind.Private)]
    [InlineData("100.127.255.255", DestinationKind.Private)]
    [InlineData("fc00::1", DestinationKind.Private)]
    [InlineData("fd12:3456::1", DestinationKind.Private)]
    // Public: neighbours of the ranges above stay public.
    [InlineData("8.8.8.8", DestinationKind.Public)]
    [InlineData("172.32.0.1", DestinationKind.Public)]
    [InlineData("172.15.255.255", DestinationKind.Public)]
    [InlineData("100.128.0.1", DestinationKind.Public)]
    [InlineData("169.253.255.255", DestinationKind.Public)]
    [InlineData("1.0.0.1", DestinationKind.Public)]
    [InlineData("2001:4860:4860::8888", DestinationKind.Public)]
    public void Classifies_addresses(string address, DestinationKind expected)
    {
        Assert.Equal(expected, NetworkAddressPolicy.Classify(IPAddress.Parse(address)).Kind);
    }

    [Fact]
    public void Private_addresses_are_allowed_only_by_the_setting_and_forbidden_ones_never()
    {
        var loopback = IPAddress.Loopback;
        var metadata = IPAddress.Parse("169.254.169.254");

        Assert.Contains("RestExecutor:AllowPrivateNetworks=true", NetworkAddressPolicy.WhyBlocked(loopback, allowPrivateNetworks: false), StringComparison.Ordinal);
        Assert.Null(NetworkAddressPolicy.WhyBlocked(loopback, allowPrivateNetworks: true));
        Assert.NotNull(NetworkAddressPolicy.WhyBlocked(metadata, allowPrivateNetworks: true));
        Assert.Null(NetworkAddressPolicy.WhyBlocked(IPAddress.Parse("8.8.8.8"), allowPrivateNetworks: false));
    }
}
