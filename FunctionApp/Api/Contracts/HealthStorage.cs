namespace DurableFlow.Api;

/// <summary>Whether the tree index's storage answered.</summary>
public sealed record HealthStorage(bool Reachable, string? Error);
