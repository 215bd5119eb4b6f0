namespace DurableFlow.Graph;

/// <summary>
/// A validated tree compiled into index form: each task's dependencies and dependents as arrays, so
/// the scheduler touches only the edges that change. Build it once per tree run.
/// </summary>
public sealed class TaskGraph
{
    private readonly Dictionary<string, int> _indexById;
    private readonly Edge[][] _dependencies;
    private readonly Edge[][] _dependents;

    private TaskGraph(TaskTree tree, Dictionary<string, int> indexById, Edge[][] dependencies, Edge[][] dependents)
    {
        Tree = tree;
        _indexById = indexById;
        _dependencies = dependencies;
        _dependents = dependents;
    }

    /// <summary>The tree this graph was built from.</summary>
    public TaskTree Tree { get; }

    /// <summary>The tasks in submission order; a task's index is its position here.</summary>
    public IReadOnlyList<TaskDefinition> Tasks => Tree.Tasks;

    public int Count => Tree.Tasks.Count;

    /// <summary>
    /// Compiles <paramref name="tree"/>. The tree must have passed <see cref="TreeValidator"/>; a
    /// reference to an unknown task or a duplicate id throws <see cref="ArgumentException"/>.
    /// </summary>
    public static TaskGraph Build(TaskTree tree)
    {
        ArgumentNullException.ThrowIfNull(tree);
        var tasks = tree.Tasks;
        var indexById = new Dictionary<string, int>(tasks.Count, StringComparer.Ordinal);
        for (var i = 0; i < tasks.Count; i++)
        {
            if (!indexById.TryAdd(tasks[i].Id, i))
            {
                throw new ArgumentException($"duplicate task id '{tasks[i].Id}': validate the tree first", nameof(tree));
            }
        }

        var dependencies = new Edge[tasks.Count][];
        var dependentCounts = new int[tasks.Count];
        for (var i = 0; i < tasks.Count; i++)
        {
            var listed = tasks[i].Dependencies;
            var edges = listed.Count == 0 ? [] : new Edge[listed.Count];
            for (var d = 0; d < listed.Count; d++)
            {
                if (!indexById.TryGetValue(listed[d].Id, out var target))
                {
                    throw new ArgumentException($"task '{tasks[i].Id}' depends on unknown task '{listed[d].Id}': validate the tree first", nameof(tree));
                }

                edges[d] = new Edge(target, listed[d].Required);
                dependentCounts[target]++;
            }

            dependencies[i] = edges;
        }

        var dependents = new Edge[tasks.Count][];
        for (var i = 0; i < tasks.Count; i++)
        {
            dependents[i] = dependentCounts[i] == 0 ? [] : new Edge[dependentCounts[i]];
            dependentCounts[i] = 0;
        }

        for (var i = 0; i < tasks.Count; i++)
        {
            foreach (var edge in dependencies[i])
            {
                dependents[edge.Task][dependentCounts[edge.Task]++] = new Edge(i, edge.Required);
            }
        }

        return new TaskGraph(tree, indexById, dependencies, dependents);
    }

    public bool TryGetIndex(string taskId, out int index) => _indexById.TryGetValue(taskId, out index);

    /// <summary>The index of <paramref name="taskId"/>; throws <see cref="KeyNotFoundException"/> for an unknown id.</summary>
    public int IndexOf(string taskId) =>
        _indexById.TryGetValue(taskId, out var index) ? index : throw new KeyNotFoundException($"no task '{taskId}' in this tree");

    /// <summary>The tasks <paramref name="index"/> waits for.</summary>
    public ReadOnlySpan<Edge> DependenciesOf(int index) => _dependencies[index];

    /// <summary>The tasks that wait for <paramref name="index"/>.</summary>
    public ReadOnlySpan<Edge> DependentsOf(int index) => _dependents[index];

    /// <summary>A leaf is a task no other task depends on; leaves decide the tree's outcome.</summary>
    public bool IsLeaf(int index) => _dependents[index].Length == 0;
}
