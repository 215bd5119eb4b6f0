namespace DurableFlow.Client;

/// <summary>The <c>error</c> object of every 4xx and 5xx body.</summary>
public sealed record ApiError
{
    /// <summary>A stable code to switch on, e.g. <c>cycle_detected</c>, <c>not_found</c>; see <see cref="ApiErrorCodes"/>.</summary>
    public string Code { get; init; } = "";

    public string Message { get; init; } = "";

    public IReadOnlyList<ApiErrorDetail> Details { get; init; } = [];

    /// <summary>How many more problems the server found than <see cref="Details"/> lists (at most 100 are listed); null when none were left out.</summary>
    public int? DetailsTruncated { get; init; }
}
