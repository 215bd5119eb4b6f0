namespace DurableFlow.E2E.Support;

/// <summary>
/// A test that stops, kills or restarts the host: it needs a host ./e2e.sh started (E2E_HOST_CONTROL).
/// e2e.sh runs these after the others, one at a time (trait <c>Category=HostLifecycle</c>).
/// </summary>
public sealed class HostLifecycleFactAttribute : FactAttribute
{
    public HostLifecycleFactAttribute()
    {
        if (E2EEnvironment.BaseUrl is null)
        {
            Skip = E2EEnvironment.NotConfigured;
        }
        else if (E2EEnvironment.HostControl is null || !E2EEnvironment.HostIsLocal)
        {
            Skip = "the host was not started by ./e2e.sh, so the suite cannot restart or crash it";
        }
    }
}
