namespace DurableFlow.Contracts;

/// <summary>The tree a run starts, version 1: identity, the tasks' static fields, and for a rerun the tasks it keeps.</summary>
public sealed record RunStartV1(string TreeId, string UserId, DateTime CreatedAt, IReadOnlyList<TaskDefinitionV1> Tasks, IReadOnlyList<string>? Carried = null);
