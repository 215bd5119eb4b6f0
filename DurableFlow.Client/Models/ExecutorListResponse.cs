namespace DurableFlow.Client;

/// <summary>The registered executors (<c>GET /api/executors</c>).</summary>
public sealed record ExecutorListResponse
{
    public IReadOnlyList<ExecutorView> Executors { get; init; } = [];
}
