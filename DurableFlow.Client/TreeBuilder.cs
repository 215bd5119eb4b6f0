using System.Globalization;

namespace DurableFlow.Client;

/// <summary>
/// Builds a task tree the way the aipartnerupflow tutorial does: create tasks, declare their dependencies,
/// priorities and parents, then submit. The tree id is fixed when the builder is made, so submitting the
/// same builder again (or a retry) is an idempotent repeat rather than a second tree.
/// </summary>
/// <example>
/// <code>
/// var tree = new TreeBuilder(userId: "tutorial_user");
/// var cpu = tree.CreateTask("system_info_executor", id: "cpu", inputs: new { resource = "cpu" }, priority: 1);
/// tree.CreateTask("system_info_executor", id: "memory", inputs: new { resource = "memory" }, priority: 2, parent: cpu)
///     .DependsOn(cpu);
/// var submitted = await client.SubmitAsync(tree);
/// var finished = await client.WaitAsync(submitted.TreeId);
/// </code>
/// </example>
public sealed class TreeBuilder
{
    private readonly List<TaskBuilder> _tasks = [];

    /// <param name="userId">The owner; null leaves it to the server.</param>
    /// <param name="treeId">The tree's id; null picks a new one now.</param>
    public TreeBuilder(string? userId = null, string? treeId = null)
    {
        UserId = userId;
        TreeId = treeId ?? TreeIds.New();
    }

    public string TreeId { get; }

    public string? UserId { get; }

    /// <summary>At most this many tasks in flight; null or 0 = unlimited.</summary>
    public int? MaxParallelism { get; set; }

    /// <summary>Executors return demo results instead of doing real work.</summary>
    public bool UseDemo { get; set; }

    /// <summary>The tasks created so far, in submission order (which breaks priority ties).</summary>
    public IReadOnlyList<TaskBuilder> Tasks => _tasks;

    /// <summary>Adds a task that runs executor <paramref name="name"/>.</summary>
    /// <param name="name">The executor, e.g. <c>system_info_executor</c>.</param>
    /// <param name="id">Unique in the tree; null picks <c>task-N</c>.</param>
    /// <param name="inputs">An object serialised to the task's JSON <c>inputs</c> (snake_case names), or a <c>JsonElement</c>.</param>
    /// <param name="priority">Lower runs first; 0 is the most urgent; null leaves the server's default (1).</param>
    /// <param name="parent">Organisational parent; it does not order anything (declare a dependency for that).</param>
    public TaskBuilder CreateTask(string name, string? id = null, object? inputs = null, int? priority = null, TaskBuilder? parent = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        id ??= "task-" + (_tasks.Count + 1).ToString(CultureInfo.InvariantCulture);
        if (_tasks.Any(t => t.Id == id))
        {
            throw new ArgumentException($"the tree already has a task '{id}'", nameof(id));
        }
        var task = new TaskBuilder(this, id, name);
        if (inputs is not null)
        {
            task.WithInputs(inputs);
        }
        if (priority is not null)
        {
            task.WithPriority(priority.Value);
        }
        if (parent is not null)
        {
            task.WithParent(parent);
        }
        _tasks.Add(task);
        return task;
    }

    /// <summary>The tree as the API's submission body.</summary>
    public TreeSubmission Build() => new()
    {
        TreeId = TreeId,
        UserId = UserId,
        MaxParallelism = MaxParallelism,
        UseDemo = UseDemo ? true : null,
        Tasks = _tasks.Select(t => t.Build()).ToList(),
    };
}
