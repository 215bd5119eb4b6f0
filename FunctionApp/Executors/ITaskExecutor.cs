using System.Text.Json;

namespace DurableFlow.Executors;

/// <summary>
/// Runs one kind of task. An executor is a small class registered through DI under its
/// <see cref="Name"/> (the task's <c>name</c> field); the API lists executors and the validator
/// rejects unknown names. Implementations must be thread-safe (one instance serves every task).
/// </summary>
public interface ITaskExecutor
{
    /// <summary>The executor id tasks refer to, e.g. <c>system_info_executor</c>.</summary>
    string Name { get; }

    /// <summary>One line saying what the executor does.</summary>
    string Description { get; }

    /// <summary>The input fields the executor reads from a task's <c>inputs</c>.</summary>
    IReadOnlyList<ExecutorInput> Inputs { get; }

    /// <summary>
    /// Does the work and returns its result as JSON. Throw <see cref="InvalidTaskInputException"/> for
    /// bad inputs; any other exception also fails the task, with its message as the task's error.
    /// </summary>
    Task<JsonElement> ExecuteAsync(TaskExecutionContext context);

    /// <summary>The result returned in demo mode (<c>use_demo</c>), without doing any real work.</summary>
    JsonElement DemoResult(TaskExecutionContext context);
}

/// <summary>One input field of an executor, for <c>GET /api/executors</c>.</summary>
/// <param name="Name">Field name in <c>inputs</c>.</param>
/// <param name="Type">JSON type: <c>string</c>, <c>integer</c>, <c>number</c>, <c>boolean</c>, <c>object</c>, <c>array</c>.</param>
/// <param name="Required">Whether the task must give it.</param>
/// <param name="Description">What it means, with allowed values.</param>
/// <param name="Default">The value used when absent, as text, or null.</param>
public sealed record ExecutorInput(string Name, string Type, bool Required, string Description, string? Default = null);

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

/// <summary>Thrown by an executor whose inputs are invalid: the task fails with this message.</summary>
public sealed class InvalidTaskInputException : Exception
{
    public InvalidTaskInputException()
    {
    }

    public InvalidTaskInputException(string message)
        : base(message)
    {
    }

    public InvalidTaskInputException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
