using System.Text.Json.Serialization;

namespace DurableFlow.Contracts;

/// <summary>The tree a run starts, version 1: identity, the tasks' static fields, and for a rerun the tasks it keeps.</summary>
/// <param name="TreeId">The tree.</param>
/// <param name="UserId">Its owner.</param>
/// <param name="CreatedAt">When it was accepted (UTC).</param>
/// <param name="Tasks">The tasks' static fields (for a shard: its tasks only; for the sharded summary: none).</param>
/// <param name="Carried">For a rerun: the tasks that keep their records.</param>
/// <param name="Indexes">Sharded layout only: each task's position in the submitted tree, in the order of
/// <paramref name="Tasks"/> (a shard gets a subset). Added after V1 shipped, left out when null.</param>
public sealed record RunStartV1(
    string TreeId,
    string UserId,
    DateTime CreatedAt,
    IReadOnlyList<TaskDefinitionV1> Tasks,
    IReadOnlyList<string>? Carried = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<int>? Indexes = null);
