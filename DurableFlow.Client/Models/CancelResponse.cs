namespace DurableFlow.Client;

/// <summary>Answer to a cancellation request (<c>202</c>).</summary>
public sealed record CancelResponse
{
    public string TreeId { get; init; } = "";

    public string Status { get; init; } = "";

    public bool CancelRequested { get; init; }

    public TreeLinks Links { get; init; } = new();
}
