using DurableFlow.Contracts;
using Microsoft.DurableTask.Entities;

namespace DurableFlow.Status;

/// <summary>
/// A task result too large to keep in its shard's record (sharded layout; entity key = <c>treeId|taskId</c>):
/// one entity per such result, so no entity's state approaches the 4 MB host-to-worker message limit, however
/// many large results a tree has. A newer run's result replaces an older one's, never the reverse.
/// </summary>
public sealed class TaskResultEntity : TaskEntity<TaskResultV1?>
{
    /// <summary>Entity name (Durable lower-cases it).</summary>
    public const string EntityName = "TaskResult";

    /// <summary>Operation setting the result.</summary>
    public const string SetOperation = nameof(Set);

    /// <summary>Keeps <paramref name="result"/> unless a later run's result is kept already.</summary>
    public void Set(TaskResultV1 result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (State is null || result.Run >= State.Run)
        {
            State = result;
        }
    }

    /// <summary>Returns the result.</summary>
    public TaskResultV1? Get() => State;

    protected override TaskResultV1? InitializeState(TaskEntityOperation entityOperation) => null;

    /// <summary>The result entity of task <paramref name="taskId"/> of tree <paramref name="treeId"/>.</summary>
    public static EntityInstanceId IdFor(string treeId, string taskId) => new(EntityName, treeId + "|" + taskId);
}
