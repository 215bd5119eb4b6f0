using System.Text.Json;

namespace DurableFlow.Client;

/// <summary>One task of a <see cref="TreeBuilder"/>; each method returns the task, so calls chain.</summary>
public sealed class TaskBuilder
{
    private readonly TreeBuilder _tree;
    private readonly List<DependencySubmission> _dependencies = [];
    private JsonElement? _inputs;
    private int? _priority;
    private string? _parentId;
    private RetrySettings? _retry;
    private double? _timeoutSeconds;

    internal TaskBuilder(TreeBuilder tree, string id, string name)
    {
        _tree = tree;
        Id = id;
        Name = name;
    }

    public string Id { get; }

    /// <summary>The executor.</summary>
    public string Name { get; }

    /// <summary>Waits for <paramref name="tasks"/> and runs only if every one of them completed.</summary>
    public TaskBuilder DependsOn(params TaskBuilder[] tasks) => AddDependencies(tasks, required: true);

    /// <summary>Waits for <paramref name="tasks"/> and runs whatever their outcome: the fallback pattern.</summary>
    public TaskBuilder DependsOnOptional(params TaskBuilder[] tasks) => AddDependencies(tasks, required: false);

    public TaskBuilder WithInputs(object inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        _inputs = inputs as JsonElement? ?? JsonSerializer.SerializeToElement(inputs, DurableFlowJson.Request);
        return this;
    }

    /// <summary>Lower runs first among ready tasks; 0 is the most urgent. Dependencies still come first.</summary>
    public TaskBuilder WithPriority(int priority)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(priority);
        _priority = priority;
        return this;
    }

    /// <summary>Files the task under <paramref name="parent"/>; organisation only, no effect on order.</summary>
    public TaskBuilder WithParent(TaskBuilder parent)
    {
        _parentId = Own(parent).Id;
        return this;
    }

    public TaskBuilder WithRetry(RetrySettings retry)
    {
        ArgumentNullException.ThrowIfNull(retry);
        _retry = retry;
        return this;
    }

    /// <summary>Limits each attempt to <paramref name="timeout"/>.</summary>
    public TaskBuilder WithTimeout(TimeSpan timeout)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        _timeoutSeconds = timeout.TotalSeconds;
        return this;
    }

    internal TaskSubmission Build() => new()
    {
        Id = Id,
        Name = Name,
        Inputs = _inputs,
        Priority = _priority,
        ParentId = _parentId,
        Dependencies = _dependencies.Count == 0 ? null : _dependencies.ToList(),
        Retry = _retry,
        TimeoutSeconds = _timeoutSeconds,
    };

    private TaskBuilder AddDependencies(TaskBuilder[] tasks, bool required)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        foreach (var task in tasks)
        {
            var id = Own(task).Id;
            // The API rejects a repeated dependency; declaring one again just updates how it is required.
            _dependencies.RemoveAll(d => d.Id == id);
            _dependencies.Add(new DependencySubmission(id, required));
        }
        return this;
    }

    private TaskBuilder Own(TaskBuilder task)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (!ReferenceEquals(task._tree, _tree))
        {
            throw new ArgumentException($"task '{task.Id}' belongs to another tree", nameof(task));
        }
        return task;
    }
}
