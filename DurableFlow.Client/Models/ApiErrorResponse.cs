namespace DurableFlow.Client;

/// <summary>The body of every 4xx and 5xx: <c>{"error": {"code", "message", "details"}}</c>.</summary>
public sealed record ApiErrorResponse
{
    public ApiError? Error { get; init; }
}
