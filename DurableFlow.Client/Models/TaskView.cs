using System.Text.Json;
using System.Text.Json.Serialization;

namespace DurableFlow.Client;

/// <summary>One task record (<c>GET /api/trees/{tree_id}/tasks/{task_id}</c>, each task of a tree read and of a tasks page).</summary>
public sealed record TaskView
{
    public string Id { get; init; } = "";

    /// <summary>The executor.</summary>
    public string Name { get; init; } = "";

    public string? ParentId { get; init; }

    public int Priority { get; init; }

    public IReadOnlyList<DependencyView> Dependencies { get; init; } = [];

    public JsonElement? Inputs { get; init; }

    /// <summary>One of <see cref="TaskStatuses"/>.</summary>
    public string Status { get; init; } = "";

    /// <summary>
    /// The executor's result (any JSON), when completed. Always read by <see cref="DurableFlowClient.GetTaskAsync"/>;
    /// the tree read and the tasks pages leave it out (null here) unless results are asked for
    /// (<see cref="TreeReadOptions.IncludeResults"/>, <see cref="TaskPageQuery.IncludeResults"/>).
    /// </summary>
    public JsonElement? Result { get; init; }

    /// <summary>Why the task failed, was skipped or cancelled.</summary>
    public string? Error { get; init; }

    public double Progress { get; init; }

    public int Attempts { get; init; }

    public string? CreatedAt { get; init; }

    public string? StartedAt { get; init; }

    public string? CompletedAt { get; init; }

    /// <summary>When the executor of the final attempt started (<see cref="StartedAt"/> is when the task was released).</summary>
    public string? RanAt { get; init; }

    /// <summary>When the executor of the final attempt returned or failed.</summary>
    public string? RanUntil { get; init; }

    /// <summary>Child tasks by <c>parent_id</c>; only with <c>?view=nested</c>.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<TaskView>? Children { get; init; }
}
