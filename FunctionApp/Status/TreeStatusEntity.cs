using DurableFlow.Application;
using DurableFlow.Graph;
using Microsoft.DurableTask.Entities;
using DurableFlow.Contracts;

namespace DurableFlow.Status;

/// <summary>
/// The status records of one tree (entity key = tree id): one entity per tree, so one read returns the
/// whole tree and one signal per scheduling step updates it. Updates are idempotent and monotonic: a
/// repeated or stale update never moves a record backwards.
/// </summary>
public sealed class TreeStatusEntity : TaskEntity<TreeStatusStateV1>
{
    /// <summary>Entity name (Durable lower-cases it).</summary>
    public const string EntityName = "TreeStatus";

    /// <summary>How many runs the short run history keeps.</summary>
    public const int MaxRunsKept = 20;

    /// <summary>Operation applying a <see cref="StatusUpdateV1"/>.</summary>
    public const string ApplyOperation = nameof(Apply);

    /// <summary>Applies one scheduling step's changes.</summary>
    public void Apply(StatusUpdateV1 update)
    {
        ArgumentNullException.ThrowIfNull(update);
        var state = State;
        if (update.Run < state.Run)
        {
            return; // an update of a run that a newer run has replaced
        }

        var at = WireTime.Format(update.At);
        if (update.Start is { } start)
        {
            StartRun(state, update.Run, start, at);
        }

        if (state.Tasks.Count == 0)
        {
            return; // nothing to update before the run's outline arrived
        }

        var byId = state.Tasks.ToDictionary(t => t.Id, StringComparer.Ordinal);
        foreach (var change in update.Changes)
        {
            var record = byId.GetValueOrDefault(change.TaskId);
            if (record is null || Rank(change.Status) <= Rank(record.Status))
            {
                continue;
            }

            record.Status = change.Status;
            record.Attempts = Math.Max(record.Attempts, record.PriorAttempts + Math.Max(change.Attempts, change.Status == TaskRunStatus.InProgress ? 1 : 0));
            if (change.Status == TaskRunStatus.InProgress)
            {
                record.StartedAt = at;
            }
            else
            {
                record.CompletedAt = at;
                record.RanAt = change.RanAt is { } ranAt ? WireTime.Format(ranAt) : null;
                record.RanUntil = change.RanUntil is { } ranUntil ? WireTime.Format(ranUntil) : null;
                record.Result = change.Result;
                record.Error = change.Error;
                record.Progress = 1;
            }
        }

        if (update.Error is { } error && update.TreeStatus.IsTerminal())
        {
            // The run ended by a fault: nothing is left running, so no record may stay pending or in progress.
            RunFault.Apply(state, at, error);
            return;
        }

        if (Rank(update.TreeStatus) > Rank(state.Status))
        {
            state.Status = update.TreeStatus;
            if (update.TreeStatus.IsTerminal())
            {
                state.CompletedAt = at;
            }

            if (state.Runs.Count > 0 && state.Runs[^1].Run == update.Run)
            {
                state.Runs[^1].Status = update.TreeStatus;
                state.Runs[^1].CompletedAt = state.CompletedAt;
            }
        }
    }

    /// <summary>Returns the whole state (what status queries read).</summary>
    public TreeStatusStateV1 Get() => State;

    protected override TreeStatusStateV1 InitializeState(TaskEntityOperation entityOperation) => new();

    private static void StartRun(TreeStatusStateV1 state, int run, RunStartV1 start, string at)
    {
        if (state.Run == run && state.Tasks.Count > 0)
        {
            return; // a repeated first signal of this run
        }

        var previous = state.Tasks.ToDictionary(t => t.Id, StringComparer.Ordinal);
        var carried = new HashSet<string>(start.Carried ?? [], StringComparer.Ordinal);
        state.TreeId = start.TreeId;
        state.UserId = start.UserId;
        state.CreatedAt ??= WireTime.Format(start.CreatedAt);
        state.Run = run;
        state.Status = TreeStatus.InProgress;
        state.StartedAt = at;
        state.CompletedAt = null;
        state.Error = null;
        state.Runs.Add(new RunSummaryV1 { Run = run, StartedAt = at, Status = TreeStatus.InProgress });
        if (state.Runs.Count > MaxRunsKept)
        {
            state.Runs.RemoveRange(0, state.Runs.Count - MaxRunsKept);
        }

        state.Tasks = start.Tasks.Select(t =>
        {
            var before = previous.GetValueOrDefault(t.Id);
            if (before is not null && carried.Contains(t.Id))
            {
                return before; // completed earlier and kept: its record stays as it was
            }

            return new TaskRecordV1
            {
                Id = t.Id,
                Name = t.Name,
                ParentId = t.ParentId,
                Priority = t.Priority,
                Dependencies = [.. t.Dependencies ?? []],
                Inputs = t.Inputs,
                Status = TaskRunStatus.Pending,
                Attempts = before?.Attempts ?? 0,
                PriorAttempts = before?.Attempts ?? 0,
                CreatedAt = state.CreatedAt,
            };
        }).ToList();
    }

    private static int Rank(TaskRunStatus status) => status switch
    {
        TaskRunStatus.Pending => 0,
        TaskRunStatus.InProgress => 1,
        _ => 2,
    };

    private static int Rank(TreeStatus status) => status switch
    {
        TreeStatus.Pending => 0,
        TreeStatus.InProgress => 1,
        _ => 2,
    };

    /// <summary>The entity of a tree (entity key = tree id).</summary>
    public static EntityInstanceId IdFor(string treeId) => new(EntityName, treeId);
}
