namespace DurableFlow.Executors;

/// <summary>The registered executors, by name.</summary>
public sealed class ExecutorRegistry
{
    private readonly Dictionary<string, ITaskExecutor> _byName = new(StringComparer.Ordinal);

    public ExecutorRegistry(IEnumerable<ITaskExecutor> executors)
    {
        ArgumentNullException.ThrowIfNull(executors);
        foreach (var executor in executors)
        {
            if (!_byName.TryAdd(executor.Name, executor))
            {
                throw new InvalidOperationException($"two executors are registered as '{executor.Name}'");
            }
        }

        Names = new HashSet<string>(_byName.Keys, StringComparer.Ordinal);
        All = [.. _byName.Values.OrderBy(e => e.Name, StringComparer.Ordinal)];
    }

    public IReadOnlySet<string> Names { get; }

    public IReadOnlyList<ITaskExecutor> All { get; }

    public bool TryGet(string name, out ITaskExecutor executor) => _byName.TryGetValue(name, out executor!);
}
