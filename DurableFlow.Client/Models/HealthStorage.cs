namespace DurableFlow.Client;

/// <summary>Whether the tree index's storage answered.</summary>
public sealed record HealthStorage
{
    public bool Reachable { get; init; }

    public string? Error { get; init; }
}
