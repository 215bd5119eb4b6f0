using System.Text.Json.Serialization;

namespace DurableFlow.Api;

/// <summary><c>GET /api/trees/{tree_id}</c>: the summary, and unless <c>view=summary</c> the first page of tasks.</summary>
public sealed record TreeView(
    string TreeId,
    string UserId,
    string Status,
    double Progress,
    CountsView Counts,
    int TaskCount,
    string? CreatedAt,
    string? StartedAt,
    string? CompletedAt,
    int Run,
    TreeLinks Links,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<TaskView>? Tasks)
{
    /// <summary>Set when <see cref="Tasks"/> holds only the first page: read the rest from the tasks route with
    /// this continuation.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? TasksContinuation { get; init; }

    /// <summary>The latest runs, oldest first: number, started_at, completed_at, status.</summary>
    public IReadOnlyList<RunView> Runs { get; init; } = [];

    /// <summary>Why the run ended by a fault (its orchestration failed or was terminated); only present then,
    /// so bodies of trees that ended normally are what they always were.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Error { get; init; }
}
