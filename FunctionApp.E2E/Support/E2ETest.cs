namespace DurableFlow.E2E.Support;

/// <summary>
/// A test class with the API client and, when the app runs on this machine, a <see cref="CallbackServer"/>
/// of its own (xunit creates one instance per test, so every test counts its own calls).
/// </summary>
public abstract class E2ETest : IAsyncLifetime
{
    private CallbackServer? _server;

    protected DurableFlowApi Api { get; } = new();

    /// <summary>The suite's local server; only tests marked <see cref="LocalE2EFactAttribute"/> or host-lifecycle use it.</summary>
    protected CallbackServer Server => _server ?? throw new InvalidOperationException("the app is not local: no callback server");

    public async Task InitializeAsync()
    {
        if (E2EEnvironment.HostIsLocal)
        {
            _server = await CallbackServer.StartAsync();
        }
    }

    public async Task DisposeAsync()
    {
        Api.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
