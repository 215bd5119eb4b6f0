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
