namespace DurableFlow.Graph;

/// <summary>A dependency edge between two task indexes.</summary>
/// <param name="Task">The task at the other end of the edge.</param>
/// <param name="Required">Whether the dependency is required.</param>
public readonly record struct Edge(int Task, bool Required);
