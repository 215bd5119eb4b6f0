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

    /// <summary>
    /// False when running the executor twice for one attempt cannot be told from running it once (it only reads
    /// its inputs, or the machine it runs on): a re-delivered attempt then simply runs again, and the attempt
    /// ledger's two storage calls per attempt are skipped. True (the default) for anything that acts on the
    /// world — calls a service, runs a command, writes data.
    /// </summary>
    bool HasSideEffects => true;
}
