using System.Text.Json.Serialization;
using DurableFlow.Graph;

namespace DurableFlow.Contracts;

/// <summary>
/// The status entity's <c>Apply</c> operation, version 1: everything that changed in one scheduling step
/// of a tree run, sent as a single signal. The first update of a run also carries the task outlines.
/// </summary>
/// <param name="Run">The run the changes belong to.</param>
/// <param name="At">The step's time (the orchestration clock, UTC).</param>
/// <param name="TreeStatus">The tree's status after the step.</param>
/// <param name="Changes">Task transitions of the step, in the order they happened.</param>
/// <param name="Start">Set on the first update of a run: the tree's identity and task outlines.</param>
/// <param name="Error">Set when the run ended by a fault (the orchestration failed or was terminated): the
/// tree ends <c>failed</c> with this error, and every task not ended yet fails with it. Added after V1
/// shipped and left out when null, so every earlier payload keeps its bytes; an older entity ignores it
/// and still applies the failed tree status.</param>
public sealed record StatusUpdateV1(
    int Run,
    DateTime At,
    TreeStatus TreeStatus,
    IReadOnlyList<TaskStatusChangeV1> Changes,
    RunStartV1? Start = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Error = null);
