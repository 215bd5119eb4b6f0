namespace DurableFlow.Contracts;

/// <summary>A dependency edge as persisted, version 1 (task definitions and task records).</summary>
public sealed record TaskDependencyV1(string Id, bool Required = true);
