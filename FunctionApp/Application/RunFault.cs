using DurableFlow.Contracts;
using DurableFlow.Graph;
using DurableFlow.Records;

namespace DurableFlow.Application;

/// <summary>
/// What a run that ended by a fault looks like in the status records: the tree <c>failed</c> with the error,
/// and every task that had not ended failed with it, since nothing of the run runs any more. The status
/// entity applies it when told (<see cref="StatusUpdateV1.Error"/>); the services apply the same to what they
/// read when they find the orchestration ended under records that say it runs.
/// </summary>
public static class RunFault
{
    /// <summary>The error of a task that had not ended, before the run's error.</summary>
    public const string UnfinishedTaskError = TaskRecords.UnfinishedTaskError;

    /// <summary>Marks <paramref name="state"/> failed with <paramref name="error"/> at <paramref name="at"/>
    /// (wire time) unless it has already ended.</summary>
    /// <returns>Whether anything changed.</returns>
    public static bool Apply(TreeStatusStateV1 state, string at, string error)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Status.IsTerminal())
        {
            return false;
        }

        TaskRecords.FailUnfinished(state.Tasks, at, error);
        if (state.Shards is not null && state.Counts is { } c)
        {
            // Sharded layout: the summary's counts say the same as its shards will.
            state.Counts = new TaskCountsV1(0, 0, c.Completed, c.Failed + c.Pending + c.InProgress, c.Skipped, c.Cancelled);
        }
        state.Error = error;
        state.Status = TreeStatus.Failed;
        state.CompletedAt = at;
        if (state.Runs.Count > 0 && state.Runs[^1].Run == state.Run)
        {
            state.Runs[^1].Status = TreeStatus.Failed;
            state.Runs[^1].CompletedAt = at;
        }

        return true;
    }

    /// <summary>Counts with every task that had not ended counted failed.</summary>
    public static TaskCounts Ended(TaskCounts counts) =>
        new(0, 0, counts.Completed, counts.Failed + counts.Pending + counts.InProgress, counts.Skipped, counts.Cancelled);
}
