using System.Text.Json.Serialization;
using DurableFlow.Graph;

namespace DurableFlow.Contracts;

/// <summary>
/// The status entity's <c>Summarize</c> operation (sharded layout), version 1: a run starting or ending, with
/// the counts, never the task records (those go to the shards). Sent twice per run, so the summary costs the
/// same whatever the tree's size.
/// </summary>
/// <param name="Run">The run.</param>
/// <param name="At">When (the orchestration clock, UTC).</param>
/// <param name="TreeStatus">The tree's status: in_progress at the start, the end status at the end.</param>
/// <param name="Counts">Tasks per status.</param>
/// <param name="Start">Set when the run starts: the tree's identity (its task list is empty: the outlines go to
/// the shards).</param>
/// <param name="Shards">How many shard entities hold the records.</param>
/// <param name="TaskCount">How many tasks the tree has.</param>
/// <param name="Error">Set when the run ended by a fault: why.</param>
public sealed record TreeSummaryUpdateV1(
    int Run,
    DateTime At,
    TreeStatus TreeStatus,
    TaskCountsV1 Counts,
    RunStartV1? Start,
    int Shards,
    int TaskCount,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Error = null);
