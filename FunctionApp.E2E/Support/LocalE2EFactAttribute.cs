namespace DurableFlow.E2E.Support;

/// <summary>
/// A test whose tasks call the suite's own HTTP server on 127.0.0.1 (to count executions from the
/// executor's side): it needs the app on this machine, so it is skipped against a remote deployment.
/// </summary>
public sealed class LocalE2EFactAttribute : FactAttribute
{
    public LocalE2EFactAttribute()
    {
        if (E2EEnvironment.BaseUrl is null)
        {
            Skip = E2EEnvironment.NotConfigured;
        }
        else if (!E2EEnvironment.HostIsLocal)
        {
            Skip = "the app is not on this machine, so its tasks cannot reach the suite's local HTTP server";
        }
    }
}
