using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace DurableFlow.Executors;

/// <summary>
/// The REST executor's SSRF guard, enforced where it cannot be bypassed: as the
/// <see cref="SocketsHttpHandler.ConnectCallback"/> of its HTTP handler. For every new connection
/// (first request and each redirect alike) it resolves the host itself, checks every address with
/// <see cref="NetworkAddressPolicy"/>, and connects only to an allowed one. Checking the URL alone would
/// miss DNS names that resolve to internal addresses, DNS rebinding (a name that resolved to a public
/// address when checked and to 169.254.169.254 when connecting) and redirects to internal hosts.
/// </summary>
internal sealed class RestDestinationGuard
{
    /// <summary>Resolves a host name to addresses.</summary>
    internal delegate Task<IPAddress[]> Resolver(string host, CancellationToken cancellationToken);

    /// <summary>Opens a TCP connection to an already approved endpoint.</summary>
    internal delegate ValueTask<Stream> Connector(IPEndPoint endpoint, CancellationToken cancellationToken);

    private readonly bool _allowPrivateNetworks;
    private readonly Resolver _resolve;
    private readonly Connector _connect;

    public RestDestinationGuard(IOptions<RestExecutorOptions> options)
        : this(options.Value.AllowPrivateNetworks, null, null)
    {
    }

    /// <summary>Tests substitute the resolver and connector (e.g. to prove no connection is attempted).</summary>
    internal RestDestinationGuard(bool allowPrivateNetworks, Resolver? resolve, Connector? connect)
    {
        _allowPrivateNetworks = allowPrivateNetworks;
        _resolve = resolve ?? Dns.GetHostAddressesAsync;
        _connect = connect ?? ConnectSocketAsync;
    }

    public bool AllowPrivateNetworks => _allowPrivateNetworks;

    /// <summary>The <see cref="SocketsHttpHandler.ConnectCallback"/>.</summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var host = context.DnsEndPoint.Host;
        var port = context.DnsEndPoint.Port;
        var literal = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        var addresses = IPAddress.TryParse(literal, out var ip) ? [ip] : await _resolve(host, cancellationToken).ConfigureAwait(false);
        if (addresses.Length == 0)
        {
            throw new SocketException((int)SocketError.HostNotFound);
        }

        var allowed = new List<IPAddress>(addresses.Length);
        string? firstReason = null;
        foreach (var address in addresses)
        {
            var reason = NetworkAddressPolicy.WhyBlocked(address, _allowPrivateNetworks);
            if (reason is null)
            {
                allowed.Add(address);
            }
            else
            {
                firstReason ??= reason;
            }
        }

        if (allowed.Count == 0)
        {
            throw new BlockedDestinationException($"blocked destination '{host}': {firstReason}");
        }

        // Only approved addresses are ever dialled; the first that accepts wins.
        Exception? last = null;
        foreach (var address in allowed)
        {
            try
            {
                return await _connect(new IPEndPoint(address, port), cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException ex)
            {
                last = ex;
            }
        }

        throw last!;
    }

    private static async ValueTask<Stream> ConnectSocketAsync(IPEndPoint endpoint, CancellationToken cancellationToken)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endpoint, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
