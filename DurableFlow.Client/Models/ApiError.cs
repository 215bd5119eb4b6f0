namespace DurableFlow.Client;

/// <summary>The <c>error</c> object of every 4xx and 5xx body.</summary>
public sealed record ApiError
{
    /// <summary>A stable code to switch on, e.g. <c>cycle_detected</c>, <c>not_found</c>; see <see cref="ApiErrorCodes"/>.</summary>
    public string Code { get; init; } = "";

    public string Message { get; init; } = "";

    public IReadOnlyList<ApiErrorDetail> Details { get; init; } = [];
}
