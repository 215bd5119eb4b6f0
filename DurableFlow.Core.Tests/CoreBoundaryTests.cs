namespace DurableFlow.Tests;

/// <summary>The core stays pure: the project has no package references (so Azure types do not compile
/// there), and this test catches a reference that slips in through another route.</summary>
public class CoreBoundaryTests
{
    [Fact]
    public void The_core_references_no_Azure_Functions_or_Durable_assembly()
    {
        var references = typeof(DurableFlow.Graph.TreeScheduler).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();
        Assert.DoesNotContain(references, name =>
            name.StartsWith("Azure", StringComparison.Ordinal)
            || name.StartsWith("Microsoft.Azure", StringComparison.Ordinal)
            || name.StartsWith("Microsoft.DurableTask", StringComparison.Ordinal)
            || name.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal)
            || name.StartsWith("Microsoft.Extensions", StringComparison.Ordinal));
    }
}
