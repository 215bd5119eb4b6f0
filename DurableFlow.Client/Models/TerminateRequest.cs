namespace DurableFlow.Client;

/// <summary>The body of <c>POST /api/trees/{tree_id}/terminate</c>.</summary>
public sealed record TerminateRequest
{
    /// <summary>Why (at most 500 characters); recorded as <c>terminated: reason</c>.</summary>
    public string? Reason { get; init; }
}
