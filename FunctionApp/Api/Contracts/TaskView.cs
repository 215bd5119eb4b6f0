using System.Text.Json;
using System.Text.Json.Serialization;
using DurableFlow.Graph;
using DurableFlow.Contracts;

namespace DurableFlow.Api;

/// <summary>One task record.</summary>
public sealed record TaskView(
    string Id,
    string Name,
    string? ParentId,
    int Priority,
    IReadOnlyList<DependencyView> Dependencies,
    JsonElement? Inputs,
    string Status,
    JsonElement? Result,
    string? Error,
    double Progress,
    int Attempts,
    string? CreatedAt,
    string? StartedAt,
    string? CompletedAt,
    string? RanAt = null,
    string? RanUntil = null)
{
    /// <summary>Child tasks (by <c>parent_id</c>), only in <c>?view=nested</c>.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<TaskView>? Children { get; set; }

    internal TaskRunStatus StatusValue { get; init; }

    public static TaskView From(TaskRecordV1 record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new(record.Id, record.Name, record.ParentId, record.Priority,
            record.Dependencies.Select(d => new DependencyView(d.Id, d.Required)).ToList(),
            record.Inputs, record.Status.ToWire(), record.Result, record.Error, record.Progress, record.Attempts,
            record.CreatedAt, record.StartedAt, record.CompletedAt, record.RanAt, record.RanUntil)
        { StatusValue = record.Status };
    }

    public static TaskView Pending(TaskDefinition task, string? createdAt)
    {
        ArgumentNullException.ThrowIfNull(task);
        return new(task.Id, task.Name, task.ParentId, task.Priority,
            task.Dependencies.Select(d => new DependencyView(d.Id, d.Required)).ToList(),
            task.Inputs, TaskRunStatus.Pending.ToWire(), null, null, 0, 0, createdAt, null, null)
        { StatusValue = TaskRunStatus.Pending };
    }
}
