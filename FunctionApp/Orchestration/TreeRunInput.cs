using System.Text.Json;
using DurableFlow.Graph;

namespace DurableFlow.Orchestration;

/// <summary>The orchestration's input: one validated tree to run. The instance id is the tree id.</summary>
/// <param name="TreeId">The tree id (also the orchestration instance id).</param>
/// <param name="UserId">The tree's owner.</param>
/// <param name="Tree">The validated tree.</param>
/// <param name="CreatedAt">When the tree was accepted (UTC).</param>
/// <param name="Run">1 for the first run of the tree.</param>
/// <param name="Carried">For a rerun: completed tasks that keep their results and are not executed again.</param>
public sealed record TreeRunInput(string TreeId, string UserId, TaskTree Tree, DateTime CreatedAt, int Run = 1, IReadOnlyDictionary<string, JsonElement>? Carried = null);

/// <summary>Input of the task activity: what one attempt of one task needs, and no more.</summary>
/// <param name="TreeId">The tree.</param>
/// <param name="TaskId">The task.</param>
/// <param name="Name">The executor id.</param>
/// <param name="Attempt">1-based attempt number; (tree, task, run, attempt) identifies the attempt.</param>
/// <param name="Run">The tree run.</param>
/// <param name="UseDemo">Return the executor's demo result instead of doing real work.</param>
/// <param name="Inputs">The task's inputs object, or null for none.</param>
/// <param name="DependencyResults">Results of the task's completed dependencies, by id.</param>
public sealed record TaskRunRequest(
    string TreeId,
    string TaskId,
    string Name,
    int Attempt,
    int Run,
    bool UseDemo,
    JsonElement? Inputs,
    IReadOnlyDictionary<string, JsonElement> DependencyResults);

/// <summary>Output of the task activity. Executor failures are data, not exceptions.</summary>
/// <param name="Succeeded">True when the executor returned a result.</param>
/// <param name="Result">The executor's result, when it succeeded.</param>
/// <param name="Error">What went wrong, when it failed (a message, never a stack trace).</param>
public sealed record TaskRunResult(bool Succeeded, JsonElement? Result, string? Error)
{
    public static TaskRunResult Success(JsonElement result) => new(true, result, null);

    public static TaskRunResult Failure(string error) => new(false, null, error);
}

/// <summary>What a finished run reports (orchestration output and the tree index update).</summary>
/// <param name="TreeId">The tree.</param>
/// <param name="UserId">The tree's owner.</param>
/// <param name="Run">The run that finished.</param>
/// <param name="Status">The tree's final status.</param>
/// <param name="Counts">Tasks per status at the end.</param>
/// <param name="StartedAt">When the run started (UTC).</param>
/// <param name="CompletedAt">When the run ended (UTC).</param>
public sealed record TreeRunOutcome(string TreeId, string UserId, int Run, TreeStatus Status, TaskCounts Counts, DateTime StartedAt, DateTime CompletedAt);
