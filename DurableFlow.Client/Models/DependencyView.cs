namespace DurableFlow.Client;

/// <summary>A dependency edge of a task record.</summary>
public sealed record DependencyView(string Id, bool Required);
