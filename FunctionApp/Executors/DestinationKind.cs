namespace DurableFlow.Executors;

/// <summary>How <see cref="NetworkAddressPolicy"/> treats an address.</summary>
public enum DestinationKind
{
    /// <summary>A public address: always allowed.</summary>
    Public,

    /// <summary>Loopback or a private/internal range: allowed only with <c>RestExecutor:AllowPrivateNetworks</c>.</summary>
    Private,

    /// <summary>Link-local, cloud metadata, unspecified, multicast or reserved: never allowed.</summary>
    Forbidden,
}
