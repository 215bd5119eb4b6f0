namespace DurableFlow.Client;

/// <summary>The body of <c>POST /api/trees/{tree_id}/rerun</c>.</summary>
public sealed record RerunRequest
{
    /// <summary>Completed tasks to run again, with everything downstream of them.</summary>
    public IReadOnlyList<string>? Tasks { get; init; }

    /// <summary>Makes the request conditional: <c>409 run_mismatch</c> unless the tree is at this run.</summary>
    public int? ExpectedRun { get; init; }
}
