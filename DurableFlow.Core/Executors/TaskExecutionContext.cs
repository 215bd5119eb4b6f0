using System.Text.Json;

namespace DurableFlow.Executors;

/// <summary>What an executor gets to run one attempt of one task.</summary>
/// <param name="TreeId">The tree.</param>
/// <param name="TaskId">The task.</param>
/// <param name="Attempt">1 for the first attempt; with (tree, task) it keys idempotent work.</param>
/// <param name="Inputs">The task's <c>inputs</c> object (an empty object when none were given).</param>
/// <param name="DependencyResults">Results of the task's completed dependencies, by dependency id.</param>
/// <param name="CancellationToken">Signalled when the attempt should stop (host shutdown, timeout).</param>
public sealed record TaskExecutionContext(
    string TreeId,
    string TaskId,
    int Attempt,
    JsonElement Inputs,
    IReadOnlyDictionary<string, JsonElement> DependencyResults,
    CancellationToken CancellationToken);
