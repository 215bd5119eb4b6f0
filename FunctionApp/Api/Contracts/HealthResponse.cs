namespace DurableFlow.Api;

/// <summary><c>GET /api/health</c>.</summary>
public sealed record HealthResponse(string Status, HealthStorage Storage, string CheckedAt);
