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
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonElement? Result,
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

    private static readonly JsonElement NullResult = JsonDocument.Parse("null").RootElement;

    /// <summary>The record with its result (<c>null</c> when it has none).</summary>
    public static TaskView From(TaskRecordV1 record) => From(record, withResult: true);

    /// <summary>The record; without <paramref name="withResult"/> the <c>result</c> key is left out (lists).</summary>
    public static TaskView From(TaskRecordV1 record, bool withResult)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new(record.Id, record.Name, record.ParentId, record.Priority,
            record.Dependencies.Select(d => new DependencyView(d.Id, d.Required)).ToList(),
            record.Inputs, record.Status.ToWire(), withResult ? record.Result ?? NullResult : null, record.Error, record.Progress, record.Attempts,
            record.CreatedAt, record.StartedAt, record.CompletedAt, record.RanAt, record.RanUntil)
        { StatusValue = record.Status };
    }

    public static TaskView Pending(TaskDefinition task, string? createdAt)
    {
        ArgumentNullException.ThrowIfNull(task);
        return new(task.Id, task.Name, task.ParentId, task.Priority,
            task.Dependencies.Select(d => new DependencyView(d.Id, d.Required)).ToList(),
            task.Inputs, TaskRunStatus.Pending.ToWire(), NullResult, null, 0, 0, createdAt, null, null)
        { StatusValue = TaskRunStatus.Pending };
    }
}
