namespace DurableFlow.E2E.Support;

/// <summary>A test against the running app; skipped when the suite is not pointed at one.</summary>
public sealed class E2EFactAttribute : FactAttribute
{
    public E2EFactAttribute()
    {
        if (E2EEnvironment.BaseUrl is null)
        {
            Skip = E2EEnvironment.NotConfigured;
        }
    }
}
