namespace DurableFlow.Client;

/// <summary><c>GET /api/health</c>; answered with <c>200</c> (healthy) or <c>503</c> (storage unreachable).</summary>
public sealed record HealthResponse
{
    public string Status { get; init; } = "";

    public HealthStorage Storage { get; init; } = new();

    public string CheckedAt { get; init; } = "";
}
