namespace DurableFlow.Client;

/// <summary>Filters and paging of <c>GET /api/trees/{tree_id}/tasks</c>; null fields are left to the server's defaults.</summary>
public sealed record TaskPageQuery
{
    /// <summary>Tasks per page, 1–1,000 (server default 100). A page may hold fewer and still have a continuation.</summary>
    public int? Limit { get; init; }

    /// <summary>The <see cref="TaskPage.Continuation"/> of the previous page, or a tree read's <see cref="TreeView.TasksContinuation"/>.</summary>
    public string? Continuation { get; init; }

    /// <summary>Only tasks in one of these statuses (<see cref="TaskStatuses"/>); null or empty for every task.</summary>
    public IReadOnlyList<string>? Statuses { get; init; }

    /// <summary>Also each task's <see cref="TaskView.Result"/> (<c>include=results</c>); a page then stops once its results pass 4 MiB.</summary>
    public bool IncludeResults { get; init; }
}
