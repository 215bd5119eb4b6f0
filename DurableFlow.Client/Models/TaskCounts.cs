namespace DurableFlow.Client;

/// <summary>Tasks per status.</summary>
public sealed record TaskCounts
{
    public int Pending { get; init; }

    public int InProgress { get; init; }

    public int Completed { get; init; }

    public int Failed { get; init; }

    public int Skipped { get; init; }

    public int Cancelled { get; init; }

    /// <summary>Tasks that have ended, whatever the outcome.</summary>
    public int Ended => Completed + Failed + Skipped + Cancelled;

    public int Total => Pending + InProgress + Ended;
}
