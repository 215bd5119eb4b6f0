namespace DurableFlow.Contracts;

/// <summary>
/// Tasks per status as persisted, version 1. <see cref="Total"/>, <see cref="Terminal"/> and
/// <see cref="Progress"/> are written (version 1 always wrote them) and ignored when read.
/// </summary>
public readonly record struct TaskCountsV1(int Pending, int InProgress, int Completed, int Failed, int Skipped, int Cancelled)
{
    public int Total => Pending + InProgress + Completed + Failed + Skipped + Cancelled;

    public int Terminal => Completed + Failed + Skipped + Cancelled;

    public double Progress => Total == 0 ? 0 : (double)Terminal / Total;
}
