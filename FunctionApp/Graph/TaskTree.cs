using System.Text.Json;

namespace DurableFlow.Graph;

/// <summary>
/// A submitted task tree: the tasks to run and tree-wide options. Field names follow the JSON contract
/// (<c>tree_id</c>, <c>max_parallelism</c>, <c>use_demo</c>, <c>tasks</c>).
/// </summary>
/// <param name="TreeId">Client-chosen id, or null to let the server assign one.</param>
/// <param name="UserId">Owner of the tree, or null (the API fills it in).</param>
/// <param name="MaxParallelism">At most this many tasks in flight; 0 means unlimited.</param>
/// <param name="UseDemo">Executors return demo results instead of doing real work.</param>
/// <param name="Tasks">The tasks, in submission order (the tie-breaker after priority).</param>
public sealed record TaskTree(
    string? TreeId,
    string? UserId,
    int MaxParallelism,
    bool UseDemo,
    IReadOnlyList<TaskDefinition> Tasks);

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

/// <summary>A dependency edge: the task waits for <paramref name="Id"/> to reach a terminal status.</summary>
/// <param name="Id">The task waited for.</param>
/// <param name="Required">When true the dependency must complete, or the dependent is skipped.</param>
public sealed record TaskDependency(string Id, bool Required = true);

/// <summary>Retry policy of a task; maps onto a Durable retry policy.</summary>
public sealed record RetrySettings(
    int MaxAttempts,
    double FirstRetryIntervalSeconds = RetrySettings.DefaultFirstRetryIntervalSeconds,
    double BackoffCoefficient = RetrySettings.DefaultBackoffCoefficient,
    double? MaxRetryIntervalSeconds = null)
{
    public const double DefaultFirstRetryIntervalSeconds = 1;
    public const double DefaultBackoffCoefficient = 1;
}
