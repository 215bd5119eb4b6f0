namespace DurableFlow.Client;

/// <summary>Answer to a termination (<c>202</c>): the tree as recorded, <c>failed</c> with the termination as its error.</summary>
public sealed record TerminateResponse
{
    public string TreeId { get; init; } = "";

    public string Status { get; init; } = "";

    public bool Terminated { get; init; }

    public string Error { get; init; } = "";

    public TreeLinks Links { get; init; } = new();
}
