namespace DurableFlow.Client;

/// <summary>One tree of a list (<c>GET /api/trees</c>).</summary>
public sealed record TreeSummary
{
    public string TreeId { get; init; } = "";

    public string UserId { get; init; } = "";

    public string Status { get; init; } = "";

    public double Progress { get; init; }

    public TaskCounts Counts { get; init; } = new();

    public int TaskCount { get; init; }

    public string CreatedAt { get; init; } = "";

    public string? CompletedAt { get; init; }

    public int Run { get; init; }

    public TreeLinks Links { get; init; } = new();

    /// <summary>Why the latest run ended by a fault; null otherwise.</summary>
    public string? Error { get; init; }
}
