using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace DurableFlow.Executors;

/// <summary>
/// The registered executors by name (ordinal, case-sensitive: names are ids). Built once from every
/// <see cref="ITaskExecutor"/> in DI; the validator checks tree task names against <see cref="Names"/>
/// and the orchestration looks executors up with <see cref="TryGet"/>.
/// </summary>
public sealed class ExecutorRegistry
{
    private readonly FrozenDictionary<string, ITaskExecutor> _byName;

    /// <summary>Indexes <paramref name="executors"/>.</summary>
    /// <exception cref="ArgumentException">An executor has an empty name, or two share a name.</exception>
    public ExecutorRegistry(IEnumerable<ITaskExecutor> executors)
    {
        ArgumentNullException.ThrowIfNull(executors);
        var byName = new Dictionary<string, ITaskExecutor>(StringComparer.Ordinal);
        foreach (var executor in executors)
        {
            if (executor is null)
            {
                throw new ArgumentException("the executor list contains null", nameof(executors));
            }

            if (string.IsNullOrWhiteSpace(executor.Name))
            {
                throw new ArgumentException($"executor {executor.GetType().FullName} has an empty name", nameof(executors));
            }

            // Fail at startup rather than let one registration silently shadow another.
            if (!byName.TryAdd(executor.Name, executor))
            {
                throw new ArgumentException(
                    $"two executors are registered as '{executor.Name}' ({byName[executor.Name].GetType().FullName} and {executor.GetType().FullName}); executor names must be unique",
                    nameof(executors));
            }
        }

        _byName = byName.ToFrozenDictionary(StringComparer.Ordinal);
        Names = _byName.Keys.ToFrozenSet(StringComparer.Ordinal);
        All = [.. _byName.Values.OrderBy(e => e.Name, StringComparer.Ordinal)];
    }

    /// <summary>Every registered name (ordinal comparison).</summary>
    public IReadOnlySet<string> Names { get; }

    /// <summary>Every executor, sorted by name (ordinal).</summary>
    public IReadOnlyList<ITaskExecutor> All { get; }

    /// <summary>Finds the executor registered as <paramref name="name"/>.</summary>
    public bool TryGet(string name, [MaybeNullWhen(false)] out ITaskExecutor executor)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _byName.TryGetValue(name, out executor);
    }
}
