namespace DurableFlow.Client;

/// <summary>One page of trees, newest first; <see cref="Continuation"/> fetches the next page.</summary>
public sealed record TreeListResponse
{
    public IReadOnlyList<TreeSummary> Trees { get; init; } = [];

    /// <summary>Token for the next page; null on the last page.</summary>
    public string? Continuation { get; init; }

    /// <summary>The next page's path, e.g. <c>/api/trees?...</c>; null on the last page.</summary>
    public string? Next { get; init; }
}
