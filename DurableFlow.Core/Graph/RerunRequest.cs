namespace DurableFlow.Graph;

/// <summary>What a rerun asks for: completed tasks to run again (besides every task that did not
/// complete), and optionally the run it expects the tree to be at.</summary>
/// <param name="Tasks">Completed tasks to run again, with their dependents; may be empty.</param>
/// <param name="ExpectedRun">The run the caller saw; a different current run is a conflict. Null: any.</param>
public sealed record RerunRequest(IReadOnlyList<string> Tasks, int? ExpectedRun)
{
    /// <summary>The request an empty body means: rerun what did not complete, at whatever run.</summary>
    public static RerunRequest Default { get; } = new([], null);
}
