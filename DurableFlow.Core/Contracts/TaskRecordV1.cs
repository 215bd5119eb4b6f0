using System.Text.Json;
using System.Text.Json.Serialization;
using DurableFlow.Graph;

namespace DurableFlow.Contracts;

/// <summary>The status record of one task in the status entity, version 1.</summary>
public sealed class TaskRecordV1
{
    public string Id { get; set; } = "";

    public string Name { get; set; } = "";

    public string? ParentId { get; set; }

    public int Priority { get; set; }

    public List<TaskDependencyV1> Dependencies { get; set; } = [];

    public JsonElement? Inputs { get; set; }

    public TaskRunStatus Status { get; set; }

    public JsonElement? Result { get; set; }

    public string? Error { get; set; }

    /// <summary>0 until the task ends, then 1.</summary>
    public double Progress { get; set; }

    /// <summary>Attempts over every run of the tree.</summary>
    public int Attempts { get; set; }

    /// <summary>Attempts made in earlier runs (so this run's count adds to them).</summary>
    public int PriorAttempts { get; set; }

    public string? CreatedAt { get; set; }

    public string? StartedAt { get; set; }

    public string? CompletedAt { get; set; }

    /// <summary>When the executor of the final attempt started: <see cref="StartedAt"/> is when the task was
    /// released, which includes its time waiting in the queue.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? RanAt { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? RanUntil { get; set; }

    /// <summary>The task's position in the submitted tree (sharded layout only: a shard's records are a subset,
    /// and reads put them back in submission order).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Index { get; set; }

    /// <summary>True when the result is larger than the layout keeps inline: <see cref="Result"/> is null and
    /// the result is in the task's own result entity.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? ResultApart { get; set; }
}
