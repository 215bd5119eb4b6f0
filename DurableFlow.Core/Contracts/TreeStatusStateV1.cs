using System.Text.Json.Serialization;
using DurableFlow.Graph;

namespace DurableFlow.Contracts;

/// <summary>The state of a tree's status entity, version 1 (Durable stores it between operations; status
/// queries read it). Mutable because the entity updates it in place.</summary>
public sealed class TreeStatusStateV1
{
    public string? TreeId { get; set; }

    public string? UserId { get; set; }

    public int Run { get; set; }

    public TreeStatus Status { get; set; }

    public string? CreatedAt { get; set; }

    public string? StartedAt { get; set; }

    public string? CompletedAt { get; set; }

    /// <summary>Why the run ended without finishing its tasks (the orchestration failed or was terminated);
    /// null otherwise. Added after V1 shipped: left out when null, so every V1 state written before reads
    /// and writes the same bytes, and an older reader ignores it.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Error { get; set; }

    public List<TaskRecordV1> Tasks { get; set; } = [];

    /// <summary>Sharded layout only (then <see cref="Tasks"/> stays empty): how many shard entities hold the
    /// records. Added after V1 shipped, left out when null.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Shards { get; set; }

    /// <summary>Sharded layout only: how many tasks the tree has.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? TaskCount { get; set; }

    /// <summary>Sharded layout only: tasks per status when the run started and when it ended (while it runs,
    /// the orchestration's custom status has the live counts).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public TaskCountsV1? Counts { get; set; }

    /// <summary>The latest runs, oldest first (at most 20).</summary>
    public List<RunSummaryV1> Runs { get; set; } = [];
}
