namespace DurableFlow.Application;

/// <summary>What the tree read (<c>GET /api/trees/{id}?view=</c>) returns besides the summary.</summary>
public enum TreeReadView
{
    /// <summary>The first page of tasks, as a flat list.</summary>
    Flat,

    /// <summary>The first page of tasks nested under their parents (trees of up to 1,000 tasks).</summary>
    Nested,

    /// <summary>No tasks: status, counts, progress and runs only.</summary>
    Summary,
}
