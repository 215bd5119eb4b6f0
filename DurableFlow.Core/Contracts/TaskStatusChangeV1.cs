using System.Text.Json;
using System.Text.Json.Serialization;
using DurableFlow.Graph;

namespace DurableFlow.Contracts;

/// <summary>One task's transition as sent to the status entity, version 1: the scheduler's
/// <see cref="TaskStatusChange"/> plus the attempts the orchestrator counted.</summary>
public sealed record TaskStatusChangeV1(string TaskId, TaskRunStatus Status, int Attempts = 0, JsonElement? Result = null, string? Error = null)
{
    /// <summary>When the executor of the final attempt ran (from its <see cref="TaskRunResultV1"/>); absent when unknown.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTime? RanAt { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTime? RanUntil { get; init; }

    /// <summary>True when the result went to the task's result entity instead of riding in this change.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? ResultApart { get; init; }

    /// <summary>When the change happened, when it is sent later than its step (the sharded layout sends a
    /// second's changes together); absent: the update's time.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTime? At { get; init; }
}
