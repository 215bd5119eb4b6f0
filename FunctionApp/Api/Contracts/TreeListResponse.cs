namespace DurableFlow.Api;

/// <summary><c>GET /api/trees</c>.</summary>
public sealed record TreeListResponse(IReadOnlyList<TreeSummary> Trees, string? Continuation, string? Next);
