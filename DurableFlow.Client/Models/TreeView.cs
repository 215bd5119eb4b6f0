using System.Text.Json.Serialization;

namespace DurableFlow.Client;

/// <summary>
/// A tree and its task records (<c>GET /api/trees/{tree_id}</c>): the first 1,000 tasks in the flat and nested
/// views (<see cref="TasksContinuation"/> reads the rest), none in the summary view.
/// </summary>
public sealed record TreeView
{
    public string TreeId { get; init; } = "";

    public string UserId { get; init; } = "";

    /// <summary>One of <see cref="TreeStatuses"/>.</summary>
    public string Status { get; init; } = "";

    /// <summary>The share of tasks that have ended, 0 to 1.</summary>
    public double Progress { get; init; }

    public TaskCounts Counts { get; init; } = new();

    public int TaskCount { get; init; }

    public string? CreatedAt { get; init; }

    public string? StartedAt { get; init; }

    public string? CompletedAt { get; init; }

    public int Run { get; init; }

    public TreeLinks Links { get; init; } = new();

    /// <summary>
    /// The tasks (flat), or the root tasks with <see cref="TaskView.Children"/> in the nested view: at most the
    /// first 1,000, without <see cref="TaskView.Result"/> unless results were asked for. Null in the summary view,
    /// whose body has no <c>tasks</c>.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<TaskView>? Tasks { get; init; }

    /// <summary>
    /// Present when the tree has more tasks than <see cref="Tasks"/> holds: the <see cref="TaskPageQuery.Continuation"/>
    /// that reads the rest through <see cref="DurableFlowClient.GetTasksPageAsync"/>. Null otherwise.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? TasksContinuation { get; init; }

    /// <summary>The latest runs, oldest first.</summary>
    public IReadOnlyList<RunView> Runs { get; init; } = [];

    /// <summary>True once the tree has ended: completed, failed or cancelled.</summary>
    public bool IsFinished => TreeStatuses.IsFinished(Status);

    /// <summary>Why the run ended by a fault (its orchestration failed or was terminated); null otherwise.</summary>
    public string? Error { get; init; }
}
