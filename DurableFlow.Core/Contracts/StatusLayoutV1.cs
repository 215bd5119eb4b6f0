namespace DurableFlow.Contracts;

/// <summary>
/// Where a run keeps its task records, version 1 of this type (the "sharded" layout): a small summary in the
/// tree's status entity, the task records in <paramref name="Shards"/> shard entities (a task's shard is a
/// stable hash of its id, <see cref="TaskShards.Of"/>), and every result larger than
/// <paramref name="InlineResultBytes"/> in an entity of its own. Fixed when a tree is submitted and carried by
/// every run's input and the index row, so readers and replays of the tree always agree, whatever a later
/// deployment's defaults are. A run whose input has none keeps every record in the tree's status entity.
/// </summary>
/// <param name="Shards">How many shard entities hold the task records (at least 1).</param>
/// <param name="InlineResultBytes">Largest result kept in its shard's record; a larger one is kept apart.</param>
public sealed record StatusLayoutV1(int Shards, int InlineResultBytes);
