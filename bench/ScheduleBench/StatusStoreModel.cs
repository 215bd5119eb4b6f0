using System.Text.Json;
using DurableFlow.Contracts;
using DurableFlow.Records;
using DurableFlow.Status;
using Microsoft.DurableTask.Entities;

namespace DurableFlow.Bench;

/// <summary>
/// What the status entities make Durable store, modelled: each message to an entity is applied to that
/// entity's state with the production record rules (<see cref="TaskRecords"/>), and costs its own bytes
/// (the signal: a history event and a queue message) plus the entity's whole state, which Durable stores
/// again after every batch of operations.
/// </summary>
internal sealed class StatusStoreModel
{
    private readonly Dictionary<EntityInstanceId, object> _states = [];

    /// <summary>Task changes applied so far (a task's start and its end count one each).</summary>
    public long Changes { get; private set; }

    /// <summary>Applies <paramref name="input"/> to entity <paramref name="id"/>; returns the bytes it costs.</summary>
    public long Apply(EntityInstanceId id, object? input, DateTime at)
    {
        var stamp = WireTime.Format(at);
        object state;
        switch (input)
        {
            case StatusUpdateV1 update when string.Equals(id.Name, TaskShardEntity.EntityName, StringComparison.OrdinalIgnoreCase):
            {
                var shard = (TaskShardStateV1)(_states.GetValueOrDefault(id) ?? new TaskShardStateV1());
                if (update.Start is { } start && shard.Run != update.Run)
                {
                    (shard.Run, shard.Tasks) = (update.Run, TaskRecords.Start(shard.Tasks, start, stamp));
                }

                TaskRecords.Apply(shard.Tasks, update.Changes, stamp);
                state = shard;
                break;
            }

            case StatusUpdateV1 update:
            {
                var tree = (TreeStatusStateV1)(_states.GetValueOrDefault(id) ?? new TreeStatusStateV1());
                if (update.Start is { } start && tree.Run != update.Run)
                {
                    (tree.Run, tree.Tasks) = (update.Run, TaskRecords.Start(tree.Tasks, start, stamp));
                }

                TaskRecords.Apply(tree.Tasks, update.Changes, stamp);
                tree.Status = update.TreeStatus;
                state = tree;
                break;
            }

            case TreeSummaryUpdateV1 summary:
            {
                var tree = (TreeStatusStateV1)(_states.GetValueOrDefault(id) ?? new TreeStatusStateV1 { Runs = [new RunSummaryV1 { Run = 1 }] });
                (tree.Run, tree.Status, tree.Counts, tree.Shards, tree.TaskCount) = (summary.Run, summary.TreeStatus, summary.Counts, summary.Shards, summary.TaskCount);
                state = tree;
                break;
            }

            case TaskResultV1 result:
                state = result;
                break;

            default:
                throw new InvalidOperationException($"unexpected message {input?.GetType().Name} to {id}");
        }

        _states[id] = state;
        Changes += input is StatusUpdateV1 u ? u.Changes.Count : 0;
        return Bytes(input) + Bytes(state);
    }

    private static long Bytes(object? value) => value is null ? 0 : JsonSerializer.SerializeToUtf8Bytes(value, value.GetType()).Length;
}
