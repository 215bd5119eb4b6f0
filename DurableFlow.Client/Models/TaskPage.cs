namespace DurableFlow.Client;

/// <summary>
/// One page of a tree's task records (<c>GET /api/trees/{tree_id}/tasks</c>), in an order that is stable for the
/// tree's life. Read on while <see cref="Continuation"/> is not null, even after a short or empty page.
/// </summary>
public sealed record TaskPage
{
    public string TreeId { get; init; } = "";

    /// <summary>The tree's current run.</summary>
    public int Run { get; init; }

    public IReadOnlyList<TaskView> Tasks { get; init; } = [];

    /// <summary>Token for the next page; null on the last page.</summary>
    public string? Continuation { get; init; }

    public TaskPageLinks Links { get; init; } = new();
}
