using System.Text.Json;

namespace DurableFlow.Graph;

/// <summary>How many tasks are in each status.</summary>
public readonly record struct TaskCounts(int Pending, int InProgress, int Completed, int Failed, int Skipped, int Cancelled)
{
    public int Total => Pending + InProgress + Completed + Failed + Skipped + Cancelled;

    public int Terminal => Completed + Failed + Skipped + Cancelled;

    /// <summary>Share of tasks in a terminal status, 0..1.</summary>
    public double Progress => Total == 0 ? 0 : (double)Terminal / Total;

    public int this[TaskRunStatus status] => status switch
    {
        TaskRunStatus.Pending => Pending,
        TaskRunStatus.InProgress => InProgress,
        TaskRunStatus.Completed => Completed,
        TaskRunStatus.Failed => Failed,
        TaskRunStatus.Skipped => Skipped,
        TaskRunStatus.Cancelled => Cancelled,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static TaskCounts From(ReadOnlySpan<int> byStatus) =>
        new(byStatus[0], byStatus[1], byStatus[2], byStatus[3], byStatus[4], byStatus[5]);

    /// <summary>Counts the given statuses.</summary>
    public static TaskCounts Of(IEnumerable<TaskRunStatus> statuses)
    {
        ArgumentNullException.ThrowIfNull(statuses);
        Span<int> byStatus = stackalloc int[6];
        foreach (var status in statuses)
        {
            byStatus[(int)status]++;
        }

        return From(byStatus);
    }
}
