namespace DurableFlow.Api;

/// <summary><c>GET /api/executors</c>.</summary>
public sealed record ExecutorListResponse(IReadOnlyList<ExecutorView> Executors);
