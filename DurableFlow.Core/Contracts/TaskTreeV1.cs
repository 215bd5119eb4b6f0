namespace DurableFlow.Contracts;

/// <summary>A task tree as persisted, version 1 (inside <see cref="TreeRunInputV1"/>, and in snake_case the
/// canonical form of <see cref="SubmissionHash"/>). Mapped from <see cref="Graph.TaskTree"/> by <see cref="WireMapping"/>.</summary>
public sealed record TaskTreeV1(string? TreeId, string? UserId, int MaxParallelism, bool UseDemo, IReadOnlyList<TaskDefinitionV1> Tasks);
