namespace DurableFlow.Client;

/// <summary>The <c>view</c> of <c>GET /api/trees/{tree_id}</c>.</summary>
public enum TreeReadView
{
    /// <summary>The tasks in a flat list (the first 1,000); the server's default.</summary>
    Flat,

    /// <summary>Root tasks with their <see cref="TaskView.Children"/> by <c>parent_id</c>; refused (400) for a tree of more than 1,000 tasks.</summary>
    Nested,

    /// <summary>No tasks: status, counts, progress, runs. Cheap whatever the tree's size; for polling.</summary>
    Summary,
}
