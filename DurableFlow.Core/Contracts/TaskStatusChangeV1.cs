using System.Text.Json;
using DurableFlow.Graph;

namespace DurableFlow.Contracts;

/// <summary>One task's transition as sent to the status entity, version 1: the scheduler's
/// <see cref="TaskStatusChange"/> plus the attempts the orchestrator counted.</summary>
public sealed record TaskStatusChangeV1(string TaskId, TaskRunStatus Status, int Attempts = 0, JsonElement? Result = null, string? Error = null);
