using DurableFlow.Application;
using DurableFlow.Graph;
using DurableFlow.Records;
using Microsoft.DurableTask.Entities;
using DurableFlow.Contracts;

namespace DurableFlow.Status;

/// <summary>
/// The status of one tree (entity key = tree id). Trees submitted before the sharded layout keep every task
/// record here (<see cref="Apply"/>); newer trees keep only a summary here (<see cref="Summarize"/>) and their
/// records in <see cref="TaskShardEntity"/> shards. Updates are idempotent and monotonic: a repeated or stale
/// update never moves a record backwards.
/// </summary>
public sealed class TreeStatusEntity : TaskEntity<TreeStatusStateV1>
{
    /// <summary>Entity name (Durable lower-cases it).</summary>
    public const string EntityName = "TreeStatus";

    /// <summary>How many runs the short run history keeps.</summary>
    public const int MaxRunsKept = 20;

    /// <summary>Operation applying a <see cref="StatusUpdateV1"/>.</summary>
    /// <remarks>Also the operation name of the shard entities.</remarks>
    public const string ApplyOperation = nameof(Apply);

    /// <summary>Operation applying a <see cref="TreeSummaryUpdateV1"/> (sharded layout).</summary>
    public const string SummarizeOperation = nameof(Summarize);

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

        TaskRecords.Apply(state.Tasks, update.Changes, at);

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

        BeginRun(state, run, start, at);
        state.Tasks = TaskRecords.Start(state.Tasks, start, state.CreatedAt);
    }

    /// <summary>The tree-level part of a run's start, the same for both layouts.</summary>
    private static void BeginRun(TreeStatusStateV1 state, int run, RunStartV1 start, string at)
    {
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
    }

    /// <summary>
    /// Sharded layout: a run's start, its progress (at most about once a second) and its end, with counts and
    /// never task records, so this entity's state stays the same small size whatever the tree's size.
    /// </summary>
    public void Summarize(TreeSummaryUpdateV1 update)
    {
        ArgumentNullException.ThrowIfNull(update);
        var state = State;
        if (update.Run < state.Run)
        {
            return;
        }

        var at = WireTime.Format(update.At);
        if (update.Start is { } start && !(state.Run == update.Run && state.Shards is not null))
        {
            BeginRun(state, update.Run, start, at);
            state.Tasks = [];
            state.Shards = update.Shards;
            state.TaskCount = update.TaskCount;
            state.Counts = update.Counts;
        }

        if (state.Run != update.Run || state.Shards is null || state.Status.IsTerminal())
        {
            return; // before the run's start arrived, or after its end: nothing to move forward
        }

        state.Counts = update.Counts;
        if (update.TreeStatus.IsTerminal())
        {
            state.Status = update.TreeStatus;
            state.CompletedAt = at;
            state.Error = update.Error;
            if (state.Runs.Count > 0 && state.Runs[^1].Run == update.Run)
            {
                state.Runs[^1].Status = update.TreeStatus;
                state.Runs[^1].CompletedAt = at;
            }
        }
    }

    private static int Rank(TreeStatus status) => status switch
    {
        TreeStatus.Pending => 0,
        TreeStatus.InProgress => 1,
        _ => 2,
    };

    /// <summary>The entity of a tree (entity key = tree id).</summary>
    public static EntityInstanceId IdFor(string treeId) => new(EntityName, treeId);
}
