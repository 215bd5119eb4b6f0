namespace DurableFlow.Client;

/// <summary>One run in a tree's run history.</summary>
public sealed record RunView
{
    public int Run { get; init; }

    public string? StartedAt { get; init; }

    public string? CompletedAt { get; init; }

    public string Status { get; init; } = "";
}
