namespace DurableFlow.Contracts;

/// <summary>The state of one shard entity of a tree (sharded layout), version 1: the records of the tasks
/// whose id hashes to this shard, in submission order. Mutable because the entity updates it in place.</summary>
public sealed class TaskShardStateV1
{
    public string? TreeId { get; set; }

    /// <summary>The run the records belong to.</summary>
    public int Run { get; set; }

    public List<TaskRecordV1> Tasks { get; set; } = [];
}
