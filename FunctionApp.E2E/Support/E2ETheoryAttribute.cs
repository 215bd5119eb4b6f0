namespace DurableFlow.E2E.Support;

/// <summary>A theory against the running app; skipped when the suite is not pointed at one.</summary>
public sealed class E2ETheoryAttribute : TheoryAttribute
{
    public E2ETheoryAttribute()
    {
        if (E2EEnvironment.BaseUrl is null)
        {
            Skip = E2EEnvironment.NotConfigured;
        }
    }
}
