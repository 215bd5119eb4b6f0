using DurableFlow.Contracts;
using DurableFlow.Graph;
using DurableFlow.Records;
using Microsoft.DurableTask.Entities;

namespace DurableFlow.Status;

/// <summary>
/// One shard of a tree's task records (sharded layout; entity key = <c>treeId|shard</c>): the tasks whose id
/// hashes to this shard (<see cref="TaskShards.Of"/>), about <see cref="TaskShards.RecordsPerShard"/> of them,
/// so an update costs the same whatever the tree's size. Takes the same <see cref="StatusUpdateV1"/> as the
/// tree's status entity, holding only this shard's changes; updates are idempotent and monotonic.
/// </summary>
public sealed class TaskShardEntity : TaskEntity<TaskShardStateV1>
{
    /// <summary>Entity name (Durable lower-cases it).</summary>
    public const string EntityName = "TaskShard";

    /// <summary>Applies one scheduling step's changes of this shard's tasks.</summary>
    public void Apply(StatusUpdateV1 update)
    {
        ArgumentNullException.ThrowIfNull(update);
        var state = State;
        if (update.Run < state.Run)
        {
            return; // an update of a run that a newer run has replaced
        }

        var at = WireTime.Format(update.At);
        if (update.Start is { } start && !(state.Run == update.Run && state.Tasks.Count > 0))
        {
            state.TreeId = start.TreeId;
            state.Run = update.Run;
            state.Tasks = TaskRecords.Start(state.Tasks, start, WireTime.Format(start.CreatedAt));
        }

        if (state.Run != update.Run)
        {
            return; // nothing to update before the run's outline arrived
        }

        TaskRecords.Apply(state.Tasks, update.Changes, at);
        if (update.Error is { } error && update.TreeStatus.IsTerminal())
        {
            TaskRecords.FailUnfinished(state.Tasks, at, error);
        }
    }

    /// <summary>Returns the shard's records.</summary>
    public TaskShardStateV1 Get() => State;

    protected override TaskShardStateV1 InitializeState(TaskEntityOperation entityOperation) => new();

    /// <summary>The entity of shard <paramref name="shard"/> of tree <paramref name="treeId"/> (<c>|</c> cannot
    /// occur in a tree id, so keys never collide).</summary>
    public static EntityInstanceId IdFor(string treeId, int shard) =>
        new(EntityName, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{treeId}|{shard}"));
}
