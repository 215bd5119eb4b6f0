namespace DurableFlow.E2E.Support;

/// <summary>A test of key enforcement: skipped when the host enforces no keys (Core Tools' <c>func start</c>).</summary>
public sealed class KeyedE2EFactAttribute : FactAttribute
{
    public KeyedE2EFactAttribute()
    {
        if (E2EEnvironment.BaseUrl is null)
        {
            Skip = E2EEnvironment.NotConfigured;
        }
        else if (E2EEnvironment.FunctionKey is null)
        {
            Skip = "no E2E_FUNCTION_KEY: the host does not enforce function keys";
        }
    }
}
