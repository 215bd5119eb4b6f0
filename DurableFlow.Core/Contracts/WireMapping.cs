using DurableFlow.Graph;

namespace DurableFlow.Contracts;

/// <summary>
/// Maps the domain (<see cref="TaskTree"/>, <see cref="TaskCounts"/>, ...) to the version 1 wire contracts
/// and back. The only place that knows both: a domain rename changes this file, never a stored format.
/// </summary>
public static class WireMapping
{
    public static TaskTreeV1 ToWire(this TaskTree tree)
    {
        ArgumentNullException.ThrowIfNull(tree);
        return new(tree.TreeId, tree.UserId, tree.MaxParallelism, tree.UseDemo, tree.Tasks.Select(ToWire).ToList());
    }

    public static TaskDefinitionV1 ToWire(this TaskDefinition task)
    {
        ArgumentNullException.ThrowIfNull(task);
        return new(task.Id, task.Name, task.Inputs, task.Priority, task.ParentId,
            task.Retry is { } r ? new RetrySettingsV1(r.MaxAttempts, r.FirstRetryIntervalSeconds, r.BackoffCoefficient, r.MaxRetryIntervalSeconds) : null,
            task.TimeoutSeconds, task.Dependencies.Select(ToWire).ToList());
    }

    public static TaskDependencyV1 ToWire(this TaskDependency dependency)
    {
        ArgumentNullException.ThrowIfNull(dependency);
        return new(dependency.Id, dependency.Required);
    }

    public static TaskCountsV1 ToWire(this TaskCounts counts) =>
        new(counts.Pending, counts.InProgress, counts.Completed, counts.Failed, counts.Skipped, counts.Cancelled);

    public static TaskTree ToDomain(this TaskTreeV1 tree)
    {
        ArgumentNullException.ThrowIfNull(tree);
        return new(tree.TreeId, tree.UserId, tree.MaxParallelism, tree.UseDemo, tree.Tasks.Select(ToDomain).ToList());
    }

    public static TaskDefinition ToDomain(this TaskDefinitionV1 task)
    {
        ArgumentNullException.ThrowIfNull(task);
        return new(task.Id, task.Name, task.Inputs, task.Priority, task.ParentId,
            task.Dependencies?.Select(ToDomain).ToList(),
            task.Retry is { } r ? new RetrySettings(r.MaxAttempts, r.FirstRetryIntervalSeconds, r.BackoffCoefficient, r.MaxRetryIntervalSeconds) : null,
            task.TimeoutSeconds);
    }

    public static TaskDependency ToDomain(this TaskDependencyV1 dependency)
    {
        ArgumentNullException.ThrowIfNull(dependency);
        return new(dependency.Id, dependency.Required);
    }

    public static TaskCounts ToDomain(this TaskCountsV1 counts) =>
        new(counts.Pending, counts.InProgress, counts.Completed, counts.Failed, counts.Skipped, counts.Cancelled);

    public static TaskStatusChangeV1 ToWire(this TaskStatusChange change, int attempts)
    {
        ArgumentNullException.ThrowIfNull(change);
        return new(change.TaskId, change.Status, attempts, change.Result, change.Error);
    }
}
