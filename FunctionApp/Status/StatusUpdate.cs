using System.Text.Json;
using DurableFlow.Graph;

namespace DurableFlow.Status;

/// <summary>
/// Everything that changed in one scheduling step of a tree run, sent to the tree's status entity as a
/// single signal. The first update of a run also carries the task outlines.
/// </summary>
/// <param name="Run">The run the changes belong to.</param>
/// <param name="At">The step's time (the orchestration clock, UTC).</param>
/// <param name="TreeStatus">The tree's status after the step.</param>
/// <param name="Changes">Task transitions of the step, in the order they happened.</param>
/// <param name="Start">Set on the first update of a run: the tree's identity and task outlines.</param>
public sealed record StatusUpdate(int Run, DateTime At, TreeStatus TreeStatus, IReadOnlyList<TaskStatusChange> Changes, RunStart? Start = null);

/// <summary>One task's transition.</summary>
public sealed record TaskStatusChange(string TaskId, TaskStatus Status, int Attempts = 0, JsonElement? Result = null, string? Error = null);

/// <summary>The tree a run starts: identity, the tasks' static fields, and for a rerun the tasks it keeps.</summary>
public sealed record RunStart(string TreeId, string UserId, DateTime CreatedAt, IReadOnlyList<TaskDefinition> Tasks, IReadOnlyList<string>? Carried = null);
