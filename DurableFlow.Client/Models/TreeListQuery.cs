namespace DurableFlow.Client;

/// <summary>Filters and paging of <c>GET /api/trees</c>; null fields are left to the server's defaults.</summary>
public sealed record TreeListQuery
{
    /// <summary>Whose trees; the server defaults it to the principal, else <c>anonymous</c>.</summary>
    public string? UserId { get; init; }

    /// <summary>Only trees with this status (one of <see cref="TreeStatuses"/>).</summary>
    public string? Status { get; init; }

    /// <summary>Page size, 1–500 (server default 50).</summary>
    public int? Limit { get; init; }

    /// <summary>The <see cref="TreeListResponse.Continuation"/> of the previous page.</summary>
    public string? Continuation { get; init; }
}
