using System.Text.Json;

namespace DurableFlow.Graph;

/// <summary>One task of a tree as submitted.</summary>
/// <param name="Id">Unique within the tree.</param>
/// <param name="Name">The executor id, e.g. <c>system_info_executor</c>.</param>
/// <param name="Inputs">The executor's inputs (a JSON object), or null for none.</param>
/// <param name="Priority">Lower is more urgent; 0 is the most urgent; default 1.</param>
/// <param name="ParentId">Organisational parent (no effect on execution order).</param>
/// <param name="Dependencies">The tasks this task waits for.</param>
/// <param name="Retry">Retry policy, or null for a single attempt.</param>
/// <param name="TimeoutSeconds">Per-attempt time limit, or null for none.</param>
public sealed record TaskDefinition(
    string Id,
    string Name,
    JsonElement? Inputs = null,
    int Priority = TaskDefinition.DefaultPriority,
    string? ParentId = null,
    IReadOnlyList<TaskDependency>? Dependencies = null,
    RetrySettings? Retry = null,
    double? TimeoutSeconds = null)
{
    /// <summary>The priority a task gets when the submission gives none.</summary>
    public const int DefaultPriority = 1;

    /// <summary>The dependencies, never null.</summary>
    public IReadOnlyList<TaskDependency> Dependencies { get; init; } = Dependencies ?? [];
}
