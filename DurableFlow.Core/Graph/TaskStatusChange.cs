using System.Text.Json;

namespace DurableFlow.Graph;

/// <summary>One status transition, as the status records should show it.</summary>
/// <param name="TaskId">The task.</param>
/// <param name="Status">Its new status.</param>
/// <param name="Result">The executor's result, for <see cref="TaskRunStatus.Completed"/>.</param>
/// <param name="Error">Why, for failed, skipped and cancelled tasks.</param>
public sealed record TaskStatusChange(string TaskId, TaskRunStatus Status, JsonElement? Result = null, string? Error = null);
